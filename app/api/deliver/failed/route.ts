// POST /api/deliver/failed — QStash failure callback: marks an exhausted delivery dead
import { failureHandler } from "@/lib/deliveries/deliver-routes";

export const POST = failureHandler;
