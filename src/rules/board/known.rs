//! The inventory's answers to "is this WP known, and what is its packet", looked up by
//! the id's hash. The board rules ask them for every entry and every dependency of a
//! board of thousands of WPs; the inventory's ordered maps answer each with a dozen
//! string comparisons of ids that share their first ten bytes.

use crate::model::wp_id::WpId;
use crate::rules::inventory::{Inventory, PacketFacts};
use xxhash_rust::xxh3::xxh3_64;

/// Every WP with a packet or a stub, keyed by the XXH3 hash of its id.
pub struct Known<'a> {
    /// (hash of the id, index into `wps`), sorted: a look-up compares integers, then
    /// the ids of the (almost always single) entry with that hash.
    keys: Vec<(u64, u32)>,
    /// Packets first, then stubs: the first equal id with a given hash is the
    /// packet when a WP has both.
    wps: Vec<(&'a WpId, Option<&'a PacketFacts>)>,
}

impl<'a> Known<'a> {
    pub fn new(inventory: &'a Inventory) -> Known<'a> {
        let mut wps = Vec::with_capacity(inventory.packets.len() + inventory.stubs.len());
        wps.extend(inventory.packets.iter().map(|(id, p)| (id, Some(p))));
        wps.extend(inventory.stubs.keys().map(|id| (id, None)));
        let mut keys: Vec<(u64, u32)> = wps
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (hash(id), i as u32))
            .collect();
        keys.sort_unstable();
        Known { keys, wps }
    }

    fn find(&self, id: &WpId) -> Option<&(&'a WpId, Option<&'a PacketFacts>)> {
        let h = hash(id);
        let start = self.keys.partition_point(|&(k, _)| k < h);
        self.keys[start..]
            .iter()
            .take_while(|&&(k, _)| k == h)
            .map(|&(_, i)| &self.wps[i as usize])
            .find(|(known, _)| *known == id)
    }

    /// [`Inventory::get`]: the WP's packet facts.
    pub fn get(&self, id: &WpId) -> Option<&'a PacketFacts> {
        self.find(id).and_then(|&(_, p)| p)
    }

    /// [`Inventory::is_known`]: the WP has a packet or a stub.
    pub fn is_known(&self, id: &WpId) -> bool {
        self.find(id).is_some()
    }
}

fn hash(id: &WpId) -> u64 {
    xxh3_64(id.as_str().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(id: &WpId) -> PacketFacts {
        PacketFacts {
            id: id.clone(),
            path: format!("packets/{id}.md"),
            status: None,
            last_verdict: None,
            dependencies: Vec::new(),
            anchors: Vec::new(),
        }
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
            let mut inventory = Inventory::default();
            for n in packets {
                inventory.packets.insert(id(n), facts(&id(n)));
            }
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

    /// Ids whose hashes collide are told apart by the ids themselves.
    #[test]
    fn equal_hashes_compare_the_ids() {
        let a = WpId::parse("WP-1-A").unwrap();
        let b = WpId::parse("WP-1-B").unwrap();
        let mut inventory = Inventory::default();
        inventory.packets.insert(a.clone(), facts(&a));
        inventory.stubs.insert(b.clone(), "stubs/b.md".into());
        let mut known = Known::new(&inventory);
        // force a collision: the stub also under the packet's hash, and first
        let (ha, hb) = (hash(&a), hash(&b));
        known.keys = vec![(ha, 1), (ha, 0), (hb, 1)];
        known.keys.sort_by_key(|&(h, _)| h);
        assert!(known.get(&a).is_some_and(|p| p.id == a));
        assert!(known.is_known(&b) && known.get(&b).is_none());
        assert!(!known.is_known(&WpId::parse("WP-1-C").unwrap()));
    }
}
