//! Passerelle: partnership matchmaking for the nonprofit sector.
//! The binary and the tests share this library.

pub mod allocation;
pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod matching;
pub mod search;
pub mod state;
pub mod telemetry;
pub mod web;
