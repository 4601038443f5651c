//! `sqlx::migrate!` embeds the migrations when the crate compiles; without this, a new file in
//! `migrations/` would not make cargo compile it again and the binary would lack it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
