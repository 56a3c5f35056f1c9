//! The embedded demo authorization server. Owned by the demo work.

pub fn serve_cli(_bind: Option<&str>) -> u8 {
    eprintln!("device-signin: the demo server is not built yet");
    crate::exit::CONFIG
}
