// Drives the official `clevertap` npm library (1.3.0), unchanged, against the sandbox and prints
// one JSON document with every answer it got. test_node_lib.py runs it (with loopback.cjs
// preloaded) and then reads the effects back through tether's own actions.
//
// Env: CT_ACCOUNT_ID, CT_PASSCODE, CT_REGION (eu1), CT_DAY (YYYYMMDD of the sandbox's today),
// CT_TOMORROW (YYYYMMDD).
"use strict";
const CleverTap = require("clevertap");

const ct = CleverTap.init(process.env.CT_ACCOUNT_ID, process.env.CT_PASSCODE, process.env.CT_REGION || "eu1");
const day = Number(process.env.CT_DAY);
const tomorrow = Number(process.env.CT_TOMORROW);
const now = Math.floor(Date.now() / 1000);
const EVENT = "Node Purchase";

async function main() {
  const out = {};

  // Uploads: profiles and events in one call, as the library's README does; one bad email.
  out.upload = await ct.upload([
    { type: "profile", identity: "node-1", ts: now, profileData: { Name: "Node One", Email: "node.one@example.com", Phone: "+14155551234", tier: "gold" } },
    { type: "profile", identity: "node-2", profileData: { Name: "Node Two", Email: "node.two@example.com", Phone: "+14155550000" } },
    { type: "event", identity: "node-1", ts: now, evtName: EVENT, evtData: { Amount: 30, Category: "books" } },
    { type: "event", identity: "node-1", ts: now, evtName: EVENT, evtData: { Amount: 12, Category: "games" } },
    { type: "event", identity: "node-2", ts: now, evtName: EVENT, evtData: { Amount: 7, Category: "books" } },
    { type: "profile", identity: "node-3", profileData: { Email: "not-an-email" } },
  ]);

  // One profile, by identity and by email (the library sends the value unencoded).
  out.profileByIdentity = await ct.profile({ identity: "node-1" });
  out.profileByEmail = await ct.profile({ email: "node.two@example.com" });

  // A device token needs the profile's CleverTap ID (objectId).
  const objectId = out.profileByIdentity.record && out.profileByIdentity.record.objectId;
  out.tokens = await ct.uploadDeviceTokens([
    { type: "token", objectId, tokenData: { id: "fcm-node-1", type: "fcm" } },
  ]);

  // Exports: the library's legacy GET ?query= start, then cursors (small batches: several pages).
  const query = { event_name: EVENT, from: day, to: day };
  out.events = await ct.events(query, { batchSize: 2 });
  out.profiles = await ct.profiles(query, { batchSize: 1 });

  // Counts: the library does not poll; tether finishes them with the req_id.
  out.eventCount = await ct.getEventsCount(query);
  out.profileCount = await ct.getProfilesCount(query);

  // Campaigns: one sent now (it completes), one scheduled for tomorrow (stopped before it runs).
  const content = { title: "Thanks", body: "Your order is on its way" };
  out.createNow = await ct.targets(ct.TARGET_CREATE, { name: "node now", when: "now", where: query, content, devices: ["android", "ios"] });
  out.createLater = await ct.targets(ct.TARGET_CREATE, { name: "node later", when: `${tomorrow} 10:00`, segment: "all", content, devices: ["android"] });
  out.estimate = await ct.targets(ct.TARGET_ESTIMATE, { name: "node estimate", when: "now", where: query, content, devices: ["android", "ios"] });
  out.list = await ct.targets(ct.TARGET_LIST, { from: day, to: tomorrow });
  out.stop = await ct.targets(ct.TARGET_STOP, { id: out.createLater.id });
  out.reportNow = await ct.targets(ct.TARGET_RESULT, { id: out.createNow.id });
  out.reportStopped = await ct.targets(ct.TARGET_RESULT, { id: out.createLater.id });

  // Reports and the rest of the library's calls.
  out.messageReports = await ct.getMessageReports({ from: String(day), to: String(day) });
  out.realTime = await ct.realTimeCounts({ user_type: true });
  out.top = await ct.topPropertyCounts({ event_name: EVENT, from: day, to: day, groups: { cat: { property_type: "event_properties", name: "Category", top_n: 2 } } });
  out.trends = await ct.trends({ event_name: EVENT, from: day, to: day, unique: false, groups: { d: { trend_type: "daily" } } });
  out.subscribe = await ct.subscribe({ d: [{ type: "email", value: "node.one@example.com", status: "Unsubscribe" }] });
  out.disassociate = await ct.disassociate({ d: [{ type: "phone", value: "+14155550000" }] });

  // Delete, then ask for the profile again.
  out.delete = await ct.delete({ identity: "node-2" });
  out.profileAfterDelete = await ct.profile({ identity: "node-2" });
  return out;
}

main().then(
  (out) => process.stdout.write(JSON.stringify(out) + "\n"),
  (err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
    process.exit(1);
  },
);
