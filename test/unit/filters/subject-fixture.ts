// One captured request the filter tests match against: an order webhook with a nested body,
// lists at two levels, a repeated query key and mixed-case header names.
import type { FilterSubject } from "@/lib/filters/match-filter";

export const orderRequest: FilterSubject = {
  method: "POST",
  path: "/hooks/orders",
  query: { source: "shop", tag: ["a", "b"] },
  headers: { "Content-Type": "application/json", "X-Event-Kind": "Order.Created" },
  body: {
    type: "order.created",
    amount: 100,
    currency: "EUR",
    test: false,
    note: null,
    customer: { id: "c_1", email: "Ann@Example.com", address: { country: "DE" } },
    items: [
      { sku: "pump-7", qty: 2, price: 30 },
      { sku: "valve-1", qty: 1, price: 40 },
    ],
    tags: ["priority", "export"],
  },
};

export const withBody = (body: unknown): FilterSubject => ({ ...orderRequest, body });
