// POST /api/alerts/deliver — sends one alert to the alert webhook for QStash (signature and URL claim verified)
import { alertDeliverHandler } from "@/lib/alerts/alert-routes";

export const POST = alertDeliverHandler;
