#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| gov_fuzz::spec_manifest(data));
