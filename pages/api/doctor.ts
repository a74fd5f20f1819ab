// POST /api/doctor — answers `npm run doctor`'s signed self-call (signature and URL claim verified as for QStash)
import { doctorHandler } from "@/lib/doctor/doctor-route";
import { pagesApiRoute } from "@/lib/http/pages-route";

export const config = { api: { bodyParser: false } };

export default pagesApiRoute(doctorHandler, () => undefined);
