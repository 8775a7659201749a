//! Writes a generated benchmark repository to a folder, for profiling by hand:
//! `cargo bench --bench genrepo -- <DIR> [PACKETS] [SPEC_BYTES] [HEADING_EVERY_BYTES]`.

mod support;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: genrepo <DIR> [PACKETS] [SPEC_BYTES] [HEADING_EVERY_BYTES]");
        std::process::exit(2);
    };
    let arg =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let g = support::generate_with(
        std::path::Path::new(dir),
        arg(1, 1000),
        arg(2, 4 << 20),
        arg(3, 1024),
    );
    println!(
        "generated {} packets and a {} byte spec with {} headings in {dir}",
        g.packets, g.spec_bytes, g.headings
    );
}
