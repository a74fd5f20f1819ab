// The trigger's rate limit and its idempotency claim as one Redis script, so a trigger that has
// both pays one round trip for them. The limit is @upstash/ratelimit 2.2's single-region
// sliding-window script (without its dynamic-limit key) on the keys that library would use, so
// the counts, the decision and `remaining` are the library's; the claim is written only when the
// limit lets the trigger through, and its current value comes back when the key is taken.
import { createHash } from "node:crypto";

export const slidingWindowScript = `#!lua flags=allow-key-locking
local tokens      = tonumber(ARGV[1]) -- tokens per window; 0: no limit, KEYS[1] is the claim
local now         = ARGV[2]
local window      = ARGV[3]
local incrementBy = tonumber(ARGV[4])
local remaining   = -1
local claimKey    = KEYS[1]

if tokens > 0 then
  local currentKey  = KEYS[1]
  local previousKey = KEYS[2]
  claimKey = KEYS[3]

  local requestsInCurrentWindow = redis.call("GET", currentKey)
  if requestsInCurrentWindow == false then
    requestsInCurrentWindow = 0
  end

  local requestsInPreviousWindow = redis.call("GET", previousKey)
  if requestsInPreviousWindow == false then
    requestsInPreviousWindow = 0
  end
  local percentageInCurrent = ( now % window ) / window
  requestsInPreviousWindow = math.floor(( 1 - percentageInCurrent ) * requestsInPreviousWindow)

  if requestsInPreviousWindow + requestsInCurrentWindow >= tokens then
    return {-1, false}
  end

  local newValue = redis.call("INCRBY", currentKey, incrementBy)
  if newValue == incrementBy then
    redis.call("PEXPIRE", currentKey, window * 2 + 1000)
  end
  remaining = tokens - ( newValue + requestsInPreviousWindow )
end

if claimKey then
  local existing = redis.call("GET", claimKey)
  if existing then
    return {remaining, existing}
  end
  redis.call("SET", claimKey, ARGV[5], "EX", ARGV[6])
end
return {remaining, false}
`;

export const slidingWindowScriptSha = createHash("sha1").update(slidingWindowScript).digest("hex");
