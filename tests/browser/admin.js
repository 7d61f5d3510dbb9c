// The administrator the browser tests' server starts with.
module.exports = { ADMIN_EMAIL: "admin@passerelle.example", ADMIN_PASSWORD: "the lighthouse keeper's ledger" };
