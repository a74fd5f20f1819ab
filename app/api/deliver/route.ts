// POST /api/deliver — runs one delivery attempt for QStash (signature and URL claim verified)
import { deliverHandler } from "@/lib/deliveries/deliver-routes";

export const POST = deliverHandler;
