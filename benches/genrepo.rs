//! Writes a generated benchmark repository to a folder, for profiling by hand:
//! `cargo bench --bench genrepo -- <DIR> [PACKETS] [SPEC_BYTES]`.

mod support;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: genrepo <DIR> [PACKETS] [SPEC_BYTES]");
        std::process::exit(2);
    };
    let packets = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let spec = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(4 * 1024 * 1024);
    let g = support::generate(std::path::Path::new(dir), packets, spec);
    println!(
        "generated {} packets and a {} byte spec in {dir}",
        g.packets, g.spec_bytes
    );
}
