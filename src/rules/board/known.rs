//! The inventory's answers to "is this WP known, and what is its packet", looked up by
//! the id's hash. The board rules ask them for every entry and every dependency of a
//! board of thousands of WPs; the inventory's ordered maps answer each with a dozen
//! string comparisons of ids that share their first ten bytes.

use crate::model::wp_id::WpId;
use crate::rules::inventory::{Inventory, PacketFacts};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Every WP with a packet or a stub, in a hash map keyed by id.
pub struct Known<'a> {
    /// The packet facts, or `None` for a stub without a packet.
    wps: IdMap<&'a WpId, Option<&'a PacketFacts>>,
}

impl<'a> Known<'a> {
    pub fn new(inventory: &'a Inventory) -> Known<'a> {
        let mut wps = IdMap::with_capacity_and_hasher(
            inventory.packets.len() + inventory.stubs.len(),
            Default::default(),
        );
        // stubs first, so that a WP with both ends up with its packet
        wps.extend(inventory.stubs.keys().map(|id| (id, None)));
        wps.extend(inventory.packets.iter().map(|(id, p)| (id, Some(p))));
        Known { wps }
    }

    /// [`Inventory::get`]: the WP's packet facts.
    pub fn get(&self, id: &WpId) -> Option<&'a PacketFacts> {
        self.wps.get(id).copied().flatten()
    }

    /// [`Inventory::is_known`]: the WP has a packet or a stub.
    pub fn is_known(&self, id: &WpId) -> bool {
        self.wps.contains_key(id)
    }
}

/// A hash map keyed by WP ids (or anything hashed as bytes) with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// XXH3 over the bytes a key writes: ids are short and public (no hash flooding to
/// fear from a repository's own documents), and std's SipHash costs several times
/// more per id.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::Packet;
    use crate::text::Source;
    use proptest::prelude::*;

    /// An inventory of one packet per id (a later packet for an id wins, as in a map).
    fn with_packets(ids: impl IntoIterator<Item = WpId>) -> Inventory {
        Inventory::from_packets(ids.into_iter().map(|id| {
            let path = format!("packets/{id}.md");
            Packet::parse(id, Source::from_bytes(path, b"- STATUS: Done\n"))
        }))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Every answer is the inventory's, for packets, stubs, WPs with both and
        /// unknown ids.
        #[test]
        fn answers_as_the_inventory(
            packets in proptest::collection::vec(0u16..300, 0..60),
            stubs in proptest::collection::vec(0u16..300, 0..30),
        ) {
            let id = |n: u16| WpId::parse(&format!("WP-1-Gen-{n:05}")).unwrap();
            let mut inventory = with_packets(packets.into_iter().map(id));
            for n in stubs {
                inventory.stubs.insert(id(n), format!("stubs/{n}.md"));
            }
            let known = Known::new(&inventory);
            for n in 0..300 {
                let wp = id(n);
                prop_assert_eq!(known.is_known(&wp), inventory.is_known(&wp));
                prop_assert_eq!(
                    known.get(&wp).map(|p| p as *const PacketFacts),
                    inventory.get(&wp).map(|p| p as *const PacketFacts)
                );
            }
        }
    }

    /// A WP with a packet and a stub is its packet; a stub alone is known without facts.
    #[test]
    fn a_packet_wins_over_a_stub() {
        let a = WpId::parse("WP-1-A").unwrap();
        let b = WpId::parse("WP-1-B").unwrap();
        let mut inventory = with_packets([a.clone()]);
        inventory.stubs.insert(a.clone(), "stubs/a.md".into());
        inventory.stubs.insert(b.clone(), "stubs/b.md".into());
        let known = Known::new(&inventory);
        assert!(known.get(&a).is_some_and(|p| p.id == a));
        assert!(known.is_known(&b) && known.get(&b).is_none());
        assert!(!known.is_known(&WpId::parse("WP-1-C").unwrap()));
    }
}
