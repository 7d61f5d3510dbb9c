//! The integration-test binary: real HTTP against the real server on port 0, a fresh database per
//! test (SQLite in a temporary directory, or a fresh PostgreSQL database when
//! `PASSERELLE_TEST_POSTGRES_URL` is set).

mod helpers;

mod accounts;
mod allocate;
mod api_docs;
mod checkups;
mod crash;
mod daily;
mod dashboards;
mod demo;
mod domain;
mod email;
mod errors;
mod insights;
mod links;
mod matching;
mod messages;
mod moderation;
mod notifications;
mod open_data;
mod organizations;
mod outbox;
mod outcomes;
mod partnerships;
mod postings;
mod privacy;
mod programs;
mod search;
mod silence;
mod smtp;
mod web;
