// The `partitioned` project (jest.config.js): test/support/db.ts clones the partitioned template.
process.env.JIFEN_LEDGER_LAYOUT = 'partitioned'
