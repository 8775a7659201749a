//! The dependency graph: packet `Depends on:` lines plus board blockers
//! (`Blocked on WP-...`, `- Blocker: WP-...`). Dependencies name known WPs and form
//! no cycle; `upstream` gives everything a WP waits for, for the phase gate.

use super::id_map::IdMap;
use super::{BoardCheck, Finding, FindingKind};
use crate::diag::codes::brd;
use crate::diag::Diagnostic;
use crate::model::board::Board;
use crate::model::status::StatusKind;
use crate::model::wp_id::{Lineage, WpId};
use crate::rules::inventory::Inventory;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// `from` waits for `to`; the location is where the dependency is written.
#[derive(Debug, Clone)]
pub struct Edge {
    pub to: WpId,
    /// The document the dependency is written in ([`Edge::path`]): a large repository
    /// has an edge per packet, and a copy of the path in each cost an allocation.
    pub written_in: WrittenIn,
    pub line: usize,
    pub column: usize,
}

/// Where a dependency is written, as seen from the WP that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrittenIn {
    /// The WP's packet (`Depends on:`).
    Packet,
    /// The WP's stub contract (`build_order.depends_on`).
    StubContract,
    /// The WP's board entry (a blocker).
    Board,
}

impl Edge {
    /// The file the dependency of `from` is written in.
    pub fn path<'a>(&self, from: &WpId, board: &'a Board, inventory: &'a Inventory) -> &'a str {
        let path = match self.written_in {
            WrittenIn::Packet => inventory.get(from).map(|p| p.path.as_str()),
            WrittenIn::StubContract => inventory
                .stub_dependencies
                .get(from)
                .map(|s| s.path.as_str()),
            WrittenIn::Board => None,
        };
        // an edge is only ever made from its WP's packet or contract, which the
        // inventory holds: the board is where the rest is written
        path.unwrap_or(&board.path)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub edges: BTreeMap<WpId, Vec<Edge>>,
}

impl Graph {
    pub fn build(board: &Board, inventory: &Inventory) -> Graph {
        // a dependency with no live packet of its own (a build-order base id, a
        // superseded revision) names the newest revision of its lineage
        let live = |i: &WpId| {
            inventory.is_known(i)
                && inventory
                    .get(i)
                    .and_then(|p| p.status_kind())
                    .is_none_or(|k| k != StatusKind::Superseded)
        };
        // built only when a dependency is not live itself: keying every id of a large
        // repository by lineage costs more than the rest of the graph
        let lineage = std::cell::OnceCell::new();
        let resolve = |id: &WpId| {
            if live(id) {
                return id.clone();
            }
            lineage
                .get_or_init(|| {
                    Lineage::new(inventory.packets.keys().chain(inventory.stubs.keys()))
                })
                .resolve(id, live)
                .unwrap_or_else(|| id.clone())
        };
        // packets come in id order: their edge lists are built whole, then the map
        // in one pass (inserting each key searched the map, comparing ids)
        let packet_edges = inventory.packets.values().filter_map(|p| {
            let mut list: Vec<Edge> = Vec::with_capacity(p.dependencies.len());
            for d in &p.dependencies {
                push_new(
                    &mut list,
                    &p.id,
                    Edge {
                        to: resolve(&d.value),
                        written_in: WrittenIn::Packet,
                        line: d.line,
                        column: d.column,
                    },
                );
            }
            (!p.dependencies.is_empty()).then(|| (p.id.clone(), list))
        });
        let mut g = Graph {
            edges: packet_edges.collect(),
        };
        // stub contracts declare a build order too (`build_order.depends_on`)
        for (id, s) in &inventory.stub_dependencies {
            for d in &s.depends_on {
                g.add(
                    id,
                    Edge {
                        to: d.value.clone(),
                        written_in: WrittenIn::StubContract,
                        line: d.line,
                        column: d.column,
                    },
                );
            }
        }
        for e in &board.entries {
            for b in &e.blockers {
                g.add(
                    &e.id,
                    Edge {
                        to: resolve(b),
                        written_in: WrittenIn::Board,
                        line: e.line,
                        column: e.column,
                    },
                );
            }
        }
        g
    }

    fn add(&mut self, from: &WpId, edge: Edge) {
        let list = match self.edges.get_mut(from) {
            Some(list) => list,
            None => self.edges.entry(from.clone()).or_default(),
        };
        push_new(list, from, edge);
    }

    pub fn direct(&self, id: &WpId) -> &[Edge] {
        self.edges.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every WP `id` waits for, directly or through others, nearest first.
    pub fn upstream(&self, id: &WpId) -> Vec<WpId> {
        let mut seen: BTreeSet<&WpId> = BTreeSet::from([id]);
        let mut queue: VecDeque<&WpId> = VecDeque::from([id]);
        let mut out = Vec::new();
        while let Some(n) = queue.pop_front() {
            for e in self.direct(n) {
                if seen.insert(&e.to) {
                    out.push(e.to.clone());
                    queue.push_back(&e.to);
                }
            }
        }
        out
    }

    /// Each cycle once, as a path that starts and ends at its smallest id.
    pub fn cycles(&self) -> Vec<Vec<WpId>> {
        strongly_connected(self)
            .into_iter()
            .filter(|c| c.len() > 1)
            .filter_map(|c| self.cycle_through(&c))
            .collect()
    }

    /// The shortest path from the component's smallest id back to itself.
    fn cycle_through(&self, component: &BTreeSet<WpId>) -> Option<Vec<WpId>> {
        let start = component.iter().next()?;
        let mut parent: BTreeMap<&WpId, &WpId> = BTreeMap::new();
        let mut queue: VecDeque<&WpId> = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            for e in self.direct(n) {
                if !component.contains(&e.to) {
                    continue;
                }
                if &e.to == start {
                    let mut back = Vec::new();
                    let mut at = n;
                    while at != start {
                        back.push(at.clone());
                        at = parent.get(at)?;
                    }
                    back.reverse();
                    let mut path = vec![start.clone()];
                    path.extend(back);
                    path.push(start.clone());
                    return Some(path);
                }
                if !parent.contains_key(&e.to) && &e.to != start {
                    parent.insert(&e.to, n);
                    queue.push_back(&e.to);
                }
            }
        }
        None
    }
}

/// An edge to `to`, unless it points back at `from` or `from` already has one to `to`.
fn push_new(list: &mut Vec<Edge>, from: &WpId, edge: Edge) {
    if &edge.to != from && !list.iter().any(|e| e.to == edge.to) {
        list.push(edge);
    }
}

/// The strongly connected components of more than one node (Tarjan's algorithm,
/// iterative so that a long chain cannot overflow the stack).
///
/// Only WPs with dependencies are nodes: every WP on a cycle has one, so a WP that
/// depends on nothing is a component of its own and never on a cycle, and leaving
/// such WPs out changes neither the components found nor the order they are found
/// in (the search visits the other nodes in the same order). Edges to them are
/// dropped.
fn strongly_connected(g: &Graph) -> Vec<BTreeSet<WpId>> {
    let ids: Vec<&WpId> = g.edges.keys().collect();
    // the node of each id, by hash (the keys of a large repository share long
    // prefixes: ordered look-ups compared them a dozen times each)
    let mut node: IdMap<&WpId, usize> =
        IdMap::with_capacity_and_hasher(ids.len(), Default::default());
    node.extend(ids.iter().enumerate().map(|(i, id)| (*id, i)));
    let index_of = |id: &WpId| node.get(id).copied();
    let succ: Vec<Vec<usize>> = g
        .edges
        .values()
        .map(|edges| edges.iter().filter_map(|e| index_of(&e.to)).collect())
        .collect();
    let n = ids.len();
    let (mut index, mut low) = (vec![usize::MAX; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut k)) = work.last_mut() {
            if let Some(&w) = succ[v].get(*k) {
                *k += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let at = stack.iter().rposition(|&w| w == v).unwrap_or(0);
                let members = stack.split_off(at);
                for &w in &members {
                    on_stack[w] = false;
                }
                // a single node is no cycle (the graph has no self-edges): not
                // collected, so a large acyclic graph allocates nothing here
                if members.len() > 1 {
                    out.push(members.iter().map(|&w| ids[w].clone()).collect());
                }
            }
        }
    }
    out
}

pub fn check(c: &BoardCheck) -> Vec<Finding> {
    let mut out = unknown(c);
    out.extend(cycles(c));
    out
}

fn unknown(c: &BoardCheck) -> Vec<Finding> {
    let mut out = Vec::new();
    for (from, edges) in &c.graph.edges {
        for e in edges.iter().filter(|e| !c.inventory.is_known(&e.to)) {
            let source = if e.written_in == WrittenIn::Board {
                "its board entry"
            } else {
                "its packet"
            };
            let d = Diagnostic::new(
                &brd::DEPENDENCY_UNKNOWN,
                format!("{from} depends on {} ({source}), which has no packet", e.to),
            )
            .at(e.path(from, c.board, c.inventory), e.line, e.column);
            out.push(Finding::new(
                FindingKind::DependencyUnknown,
                vec![from.clone()],
                d,
            ));
        }
    }
    out
}

fn cycles(c: &BoardCheck) -> Vec<Finding> {
    c.graph
        .cycles()
        .into_iter()
        .filter_map(|path| {
            let first = c.graph.direct(&path[0]).iter().find(|e| e.to == path[1])?;
            let shown: Vec<&str> = path.iter().map(WpId::as_str).collect();
            let d = Diagnostic::new(
                &brd::DEPENDENCY_CYCLE,
                format!("dependency cycle: {}", shown.join(" → ")),
            )
            .at(
                first.path(&path[0], c.board, c.inventory),
                first.line,
                first.column,
            );
            let mut wps = path;
            wps.pop();
            Some(Finding::new(FindingKind::DependencyCycle, wps, d))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut g = Graph::default();
        for (a, b) in edges {
            g.add(
                &WpId::parse(a).unwrap(),
                Edge {
                    to: WpId::parse(b).unwrap(),
                    written_in: WrittenIn::Packet,
                    line: 1,
                    column: 1,
                },
            );
        }
        g
    }

    fn names(v: &[WpId]) -> Vec<&str> {
        v.iter().map(WpId::as_str).collect()
    }

    #[test]
    fn finds_each_cycle_once() {
        let g = graph(&[
            ("WP-1-C", "WP-1-A"),
            ("WP-1-A", "WP-1-B"),
            ("WP-1-B", "WP-1-C"),
            ("WP-1-B", "WP-1-D"),
            ("WP-1-E", "WP-1-F"),
            ("WP-1-F", "WP-1-E"),
        ]);
        let cycles = g.cycles();
        let shown: Vec<Vec<&str>> = cycles.iter().map(|c| names(c)).collect();
        assert_eq!(shown.len(), 2);
        assert!(shown.contains(&vec!["WP-1-A", "WP-1-B", "WP-1-C", "WP-1-A"]));
        assert!(shown.contains(&vec!["WP-1-E", "WP-1-F", "WP-1-E"]));
    }

    #[test]
    fn no_cycle_in_a_long_chain() {
        let ids: Vec<String> = (0..5000).map(|i| format!("WP-1-N{i}")).collect();
        let pairs: Vec<(&str, &str)> = ids
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        let g = graph(&pairs);
        assert!(g.cycles().is_empty());
        assert_eq!(g.upstream(&WpId::parse("WP-1-N0").unwrap()).len(), 4999);
    }

    #[test]
    fn upstream_is_transitive_nearest_first() {
        let g = graph(&[
            ("WP-1-A", "WP-1-B"),
            ("WP-1-B", "WP-1-C"),
            ("WP-1-A", "WP-1-D"),
        ]);
        assert_eq!(
            names(&g.upstream(&WpId::parse("WP-1-A").unwrap())),
            ["WP-1-B", "WP-1-D", "WP-1-C"]
        );
    }
}
