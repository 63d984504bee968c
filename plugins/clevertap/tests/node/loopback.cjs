// Preloaded with `node --require` by test_node_lib.py: connections the official `clevertap`
// library opens to *.api.clevertap.com go to the sandbox on loopback instead.
//
// Why this is the least invasive way: the library hard-codes `https://<region>.api.clevertap.com/1`
// and takes no base URL or agent. Rather than edit it, we act like an /etc/hosts entry plus a
// port forward: only the socket's destination changes. The URL, the Host header the sandbox routes
// by, and the TLS server name (SNI, and the name the certificate is checked against, trusted via
// NODE_EXTRA_CA_CERTS) all stay `eu1.api.clevertap.com`, exactly as the library sends them.
"use strict";
const https = require("https");

const port = Number(process.env.CLEVERTAP_SANDBOX_PORT);
if (!Number.isInteger(port) || port <= 0) {
  throw new Error("CLEVERTAP_SANDBOX_PORT must name the sandbox's loopback port");
}
const API_HOST = /(^|\.)api\.clevertap\.com$/;
const createConnection = https.Agent.prototype.createConnection;

https.Agent.prototype.createConnection = function (options, callback) {
  if (options && API_HOST.test(options.host || "")) {
    // The agent has already set servername from the Host header; keep it.
    options = { ...options, servername: options.servername || options.host, host: "127.0.0.1", port };
  }
  return createConnection.call(this, options, callback);
};
