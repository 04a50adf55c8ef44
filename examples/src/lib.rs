//! Examples of embedding the mailtls crates; see the `examples` targets
//! (`cargo run -p mailtls-examples --example probe_demo_smtp`).
