//! "Copy as fetch" / "Copy as cURL" (bash and cmd): `evidence::import::parse` on any text; a
//! command it reads fills a form the form checks accept or refuse without panicking.
#![no_main]

use cors_doctor::engine::check::form::check_form;
use cors_doctor::engine::evidence::import::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(imported) = parse(&text) {
        let origin = imported
            .origin
            .unwrap_or_else(|| "http://127.0.0.1:8080".to_string());
        let _ = check_form(&imported.form, &origin);
    }
});
