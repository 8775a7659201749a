//! The packets of an inventory by id, in id order: the parts the loader's worker
//! threads filled, kept as they are (each is sorted, and each part's ids come after
//! the previous part's), so that ten thousand facts are neither copied into one list
//! nor moved into the nodes of a tree map. Looked up through a hash index of the
//! ids: the board rules look ids up tens of thousands of times, and a binary search
//! compares a dozen ids that share their first ten bytes each time.

use super::PacketFacts;
use crate::model::wp_id::WpId;

#[derive(Debug, Clone, Default)]
pub struct PacketMap {
    /// Non-empty parts, each sorted by id with no id twice, in id order across parts.
    parts: Vec<Vec<PacketFacts>>,
    len: usize,
    /// Open addressing with linear probing, a power of two at least twice `len`
    /// long: each slot holds 1 + the position of an id in id order, or 0 (empty).
    /// Empty when a position does not fit (the look-up then searches the parts).
    index: Vec<u32>,
}

fn hash(id: &WpId) -> usize {
    // the low bits pick the slot; truncation on 32-bit targets only drops high bits
    xxhash_rust::xxh3::xxh3_64(id.as_str().as_bytes()) as usize
}

impl PacketMap {
    /// The map of `parts` as the loader made them (each in listing order, which is
    /// id order). Parts that are not in order (never from the listing) are merged and
    /// sorted; when an id is there twice, the later facts win, as in a map.
    pub(super) fn from_parts(parts: Vec<Vec<PacketFacts>>) -> PacketMap {
        let mut parts: Vec<Vec<PacketFacts>> =
            parts.into_iter().filter(|p| !p.is_empty()).collect();
        let sorted = parts
            .iter()
            .all(|p| p.windows(2).all(|w| w[0].id < w[1].id))
            && parts
                .windows(2)
                .all(|w| w[0].last().map(|p| &p.id) < w[1].first().map(|p| &p.id));
        if !sorted {
            let mut all: Vec<PacketFacts> = parts.drain(..).flatten().collect();
            // stable: of two facts for one id, the later stays last, and is kept
            all.sort_by(|a, b| a.id.cmp(&b.id));
            let mut kept: Vec<PacketFacts> = Vec::with_capacity(all.len());
            for f in all {
                match kept.last_mut() {
                    Some(last) if last.id == f.id => *last = f,
                    _ => kept.push(f),
                }
            }
            parts = vec![kept];
        }
        let len = parts.iter().map(Vec::len).sum();
        let mut map = PacketMap {
            parts,
            len,
            index: Vec::new(),
        };
        map.index = map.build_index().unwrap_or_default();
        map
    }

    fn build_index(&self) -> Option<Vec<u32>> {
        if self.len == 0 {
            return None;
        }
        let size = self.len.checked_mul(2)?.checked_next_power_of_two()?;
        let mask = size - 1;
        let mut index = vec![0u32; size];
        for (pos, p) in self.values().enumerate() {
            let slot = u32::try_from(pos + 1).ok()?;
            let mut i = hash(&p.id) & mask;
            while index[i] != 0 {
                i = (i + 1) & mask;
            }
            index[i] = slot;
        }
        Some(index)
    }

    /// The facts at `pos` in id order.
    fn at(&self, mut pos: usize) -> Option<&PacketFacts> {
        for part in &self.parts {
            match part.get(pos) {
                Some(p) => return Some(p),
                None => pos -= part.len(),
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, id: &WpId) -> Option<&PacketFacts> {
        if self.index.is_empty() {
            return self.search(id);
        }
        let mask = self.index.len() - 1;
        let mut i = hash(id) & mask;
        loop {
            let slot = usize::try_from(*self.index.get(i)?).ok()?;
            let p = self.at(slot.checked_sub(1)?)?;
            if p.id == *id {
                return Some(p);
            }
            i = (i + 1) & mask;
        }
    }

    /// [`PacketMap::get`] without the index: a binary search of the parts.
    fn search(&self, id: &WpId) -> Option<&PacketFacts> {
        // the first part whose last id is not below `id` is the only one that can
        // hold it
        let at = self
            .parts
            .partition_point(|p| p.last().is_some_and(|l| l.id < *id));
        let part = self.parts.get(at)?;
        part.binary_search_by(|p| p.id.cmp(id))
            .ok()
            .map(|i| &part[i])
    }

    pub fn contains_key(&self, id: &WpId) -> bool {
        self.get(id).is_some()
    }

    /// The facts, in id order.
    pub fn values(&self) -> impl Iterator<Item = &PacketFacts> + Clone {
        self.parts.iter().flatten()
    }

    /// The ids, in order.
    pub fn keys(&self) -> impl Iterator<Item = &WpId> + Clone {
        self.values().map(|p| &p.id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&WpId, &PacketFacts)> + Clone {
        self.values().map(|p| (&p.id, p))
    }
}

impl<'a> IntoIterator for &'a PacketMap {
    type Item = (&'a WpId, &'a PacketFacts);
    type IntoIter = Box<dyn Iterator<Item = (&'a WpId, &'a PacketFacts)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::packet::Packet;
    use crate::text::Source;

    fn facts(id: &str, status: &str) -> PacketFacts {
        let text = format!("- STATUS: {status}\n");
        PacketFacts::new(Packet::parse(
            WpId::parse(id).unwrap(),
            Source::from_bytes(format!("p/{id}.md"), text.as_bytes()),
        ))
    }

    fn id(s: &str) -> WpId {
        WpId::parse(s).unwrap()
    }

    fn ids(m: &PacketMap) -> Vec<String> {
        m.keys().map(ToString::to_string).collect()
    }

    #[test]
    fn parts_in_order_are_looked_up_across_parts() {
        let m = PacketMap::from_parts(vec![
            vec![facts("WP-1-A", "Done"), facts("WP-1-C", "Done")],
            vec![],
            vec![facts("WP-1-E", "Done"), facts("WP-2-A", "Done")],
        ]);
        assert_eq!(m.len(), 4);
        assert_eq!(ids(&m), ["WP-1-A", "WP-1-C", "WP-1-E", "WP-2-A"]);
        for present in ["WP-1-A", "WP-1-C", "WP-1-E", "WP-2-A"] {
            assert_eq!(m.get(&id(present)).map(|p| p.id.as_str()), Some(present));
        }
        for absent in ["WP-0-A", "WP-1-B", "WP-1-D", "WP-1-F", "WP-3-A"] {
            assert!(!m.contains_key(&id(absent)), "{absent}");
            assert!(m.search(&id(absent)).is_none(), "{absent}");
        }
        let pairs: Vec<_> = (&m).into_iter().map(|(k, v)| k == &v.id).collect();
        assert_eq!(pairs, [true; 4]);
    }

    #[test]
    fn many_ids_are_found_by_the_index_and_by_the_search() {
        let names: Vec<String> = (0..3000).map(|i| format!("WP-1-Gen-{i:05}")).collect();
        let parts: Vec<Vec<PacketFacts>> = names
            .chunks(700)
            .map(|c| c.iter().map(|n| facts(n, "Done")).collect())
            .collect();
        let m = PacketMap::from_parts(parts);
        assert_eq!(m.len(), 3000);
        assert!(m.index.len() >= 6000 && m.index.len().is_power_of_two());
        for n in &names {
            assert_eq!(m.get(&id(n)).map(|p| p.id.as_str()), Some(n.as_str()));
            assert_eq!(m.search(&id(n)).map(|p| p.id.as_str()), Some(n.as_str()));
        }
        for absent in [
            "WP-1-Gen-03000",
            "WP-1-Gen-0000",
            "WP-1-Gen-00000-v2",
            "WP-2-Gen-00001",
        ] {
            assert!(m.get(&id(absent)).is_none(), "{absent}");
        }
    }

    #[test]
    fn parts_out_of_order_are_sorted_and_the_later_twin_wins() {
        let m = PacketMap::from_parts(vec![
            vec![facts("WP-1-C", "Done"), facts("WP-1-A", "Done")],
            vec![facts("WP-1-B", "Done"), facts("WP-1-A", "In Progress")],
        ]);
        assert_eq!(ids(&m), ["WP-1-A", "WP-1-B", "WP-1-C"]);
        assert_eq!(m.len(), 3);
        let a = m.get(&id("WP-1-A")).unwrap();
        assert_eq!(a.status_label(), "In Progress");
        assert!(PacketMap::default().is_empty());
        assert!(PacketMap::default().get(&id("WP-1-A")).is_none());
    }
}
