//! A min-cost flow solver for the optimizer's relaxations: supplies at nodes, one sink, integer
//! capacities and non-negative integer costs, and convex arcs.
//!
//! Each unit of supply is routed on its own shortest path (Dijkstra on reduced costs from the
//! supply node, stopping when the sink is settled), as in the Jonker–Volgenant assignment
//! algorithm: in a placement round most units reach the sink after scanning their own arcs and
//! a handful of practice nodes, so the whole solve costs about one pass over the arcs. Node
//! potentials keep every residual reduced cost non-negative; after a search only the nodes it
//! settled change potential (the common shift of the others cancels in every reduced cost).
//!
//! A convex arc carries up to `marginals.len()` units, the k-th unit costing `marginals[k-1]`
//! (non-decreasing). Its residual forward cost is the next marginal and its backward cost minus
//! the last one used, so one arc does the work of a bundle of parallel unit arcs.
//!
//! The result is a minimum-cost flow that routes every unit of supply to the sink: successive
//! shortest paths keep the flow of least cost among flows of its value at every step, and with
//! non-negative costs and zero potentials at the start the first search is already valid.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The position of an arc, as returned by `add_arc`.
pub type ArcId = usize;

const NONE: u32 = u32::MAX;
const INF: i64 = i64::MAX / 4;

#[derive(Clone, Debug)]
struct Arc {
    to: u32,
    cap: i32,
    /// Units on the arc; kept on the forward arc (even id) only.
    flow: i32,
    cost: i64,
    /// Start of the marginals in `Network::marginals`, or `NONE` for a linear arc.
    convex: u32,
}

/// Why a solve stopped before the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowError {
    /// `keep_going` returned false.
    Stopped,
    /// Some supply cannot reach the sink.
    Infeasible,
}

/// A flow network. Each arc is stored with its residual twin at `id ^ 1`.
#[derive(Clone, Debug, Default)]
pub struct Network {
    /// Arcs leaving each node (even ids).
    out: Vec<Vec<u32>>,
    /// Arcs entering each node (even ids).
    inn: Vec<Vec<u32>>,
    /// Arcs entering each node that carry flow (even ids): their twins are the node's residual
    /// arcs backwards. A practice may be the head of hundreds of arcs but holds few trainees, so
    /// a search scans only those.
    back: Vec<Vec<u32>>,
    /// Position of each arc (by id / 2) in its head's `back`, or `NONE`.
    back_pos: Vec<u32>,
    arcs: Vec<Arc>,
    marginals: Vec<i64>,
    supply: Vec<i32>,
    /// Excess (positive) or shortfall (negative) of flow at each node while solving.
    balance: Vec<i32>,
    /// Nodes settled by the searches so far (a measure of the work done).
    pub settled: usize,
    /// Node potentials after a solve: every residual arc has a non-negative reduced cost
    /// `cost + potential[from] − potential[to]`, which proves the flow optimal.
    potential: Vec<i64>,
}

impl Network {
    /// A network with `nodes` nodes, numbered from 0, and no arcs.
    pub fn new(nodes: usize) -> Network {
        Network {
            out: vec![Vec::new(); nodes],
            inn: vec![Vec::new(); nodes],
            back: vec![Vec::new(); nodes],
            back_pos: Vec::new(),
            arcs: Vec::new(),
            marginals: Vec::new(),
            supply: vec![0; nodes],
            balance: Vec::new(),
            settled: 0,
            potential: Vec::new(),
        }
    }

    /// Adds a node and returns its number.
    pub fn add_node(&mut self) -> usize {
        self.out.push(Vec::new());
        self.inn.push(Vec::new());
        self.back.push(Vec::new());
        self.supply.push(0);
        self.out.len() - 1
    }

    /// The number of nodes.
    pub fn nodes(&self) -> usize {
        self.out.len()
    }

    /// Units of supply at `node`, to be routed to the sink.
    pub fn set_supply(&mut self, node: usize, units: i32) {
        self.supply[node] = units;
    }

    fn push_arc(&mut self, from: usize, to: usize, cap: i32, cost: i64, convex: u32) -> ArcId {
        let id = self.arcs.len();
        self.arcs.push(Arc { to: to as u32, cap, flow: 0, cost, convex });
        self.arcs.push(Arc { to: from as u32, cap: 0, flow: 0, cost: -cost, convex: NONE });
        self.out[from].push(id as u32);
        self.inn[to].push(id as u32);
        self.back_pos.push(NONE);
        id
    }

    /// Adds an arc `from → to` carrying up to `cap` units at `cost` (≥ 0) each.
    pub fn add_arc(&mut self, from: usize, to: usize, cap: i32, cost: i64) -> ArcId {
        debug_assert!(cost >= 0, "costs must not be negative");
        self.push_arc(from, to, cap, cost, NONE)
    }

    /// A convex arc: the k-th unit costs `marginals[k-1]`; the marginals must not decrease and the
    /// first must not be negative.
    pub fn add_convex_arc(&mut self, from: usize, to: usize, marginals: &[i64]) -> ArcId {
        debug_assert!(marginals.windows(2).all(|w| w[0] <= w[1]), "marginal costs must not decrease");
        debug_assert!(marginals.first().is_none_or(|&m| m >= 0), "costs must not be negative");
        let start = self.marginals.len() as u32;
        self.marginals.extend_from_slice(marginals);
        self.push_arc(from, to, marginals.len() as i32, 0, start)
    }

    /// A node's potential after a solve (see `potential`); 0 before.
    pub fn potential(&self, node: usize) -> i64 {
        self.potential.get(node).copied().unwrap_or(0)
    }

    /// Potentials for pricing arcs that are not in the network, after a solve: valid like the
    /// solve's (no residual arc gets a negative reduced cost) but as low as the network allows,
    /// each node's potential lowered by its shortest residual distance to `sink` (nodes that
    /// cannot reach it by more than any that can). An arc `u → v` left out could lower the cost
    /// only if `cost + potential[u] − potential[v] < 0` with these.
    pub fn potentials_towards(&self, sink: usize) -> Vec<i64> {
        let n = self.out.len();
        let pot = |v: usize| self.potential(v);
        let mut dist = vec![INF; n];
        let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
        dist[sink] = 0;
        heap.push(Reverse((0, sink as u32)));
        while let Some(Reverse((d, v))) = heap.pop() {
            let v = v as usize;
            if d > dist[v] {
                continue;
            }
            // Residual arcs into v: forward arcs with room, and the twins of v's arcs with flow.
            let into = self.inn[v].iter().map(|&id| id as usize);
            let from_twins = self.out[v].iter().map(|&id| id as usize ^ 1);
            for id in into.chain(from_twins) {
                let Some(c) = self.residual_cost(id) else { continue };
                let u = self.arcs[id ^ 1].to as usize;
                let nd = d + c + pot(u) - pot(v);
                if nd < dist[u] {
                    dist[u] = nd;
                    heap.push(Reverse((nd, u as u32)));
                }
            }
        }
        let far = dist.iter().copied().filter(|&d| d < INF).max().unwrap_or(0) + 1;
        (0..n).map(|v| pot(v) - if dist[v] < INF { dist[v] } else { far }).collect()
    }

    /// Units on an arc after a solve.
    pub fn flow(&self, arc: ArcId) -> i64 {
        i64::from(self.arcs[arc].flow)
    }

    /// The cost of the current flow.
    pub fn cost(&self) -> i64 {
        let mut total = 0;
        for a in self.arcs.iter().step_by(2) {
            total += if a.convex == NONE {
                a.cost * i64::from(a.flow)
            } else {
                let s = a.convex as usize;
                self.marginals[s..s + a.flow as usize].iter().sum::<i64>()
            };
        }
        total
    }

    /// The cost of sending one more unit over residual arc `id`, or `None` when it is full.
    #[inline]
    fn residual_cost(&self, id: usize) -> Option<i64> {
        if id & 1 == 0 {
            let a = &self.arcs[id];
            if a.flow >= a.cap {
                None
            } else if a.convex == NONE {
                Some(a.cost)
            } else {
                Some(self.marginals[a.convex as usize + a.flow as usize])
            }
        } else {
            let a = &self.arcs[id ^ 1];
            if a.flow <= 0 {
                None
            } else if a.convex == NONE {
                Some(-a.cost)
            } else {
                Some(-self.marginals[a.convex as usize + a.flow as usize - 1])
            }
        }
    }

    /// Changes the flow on forward arc `id`, keeping `back` up to date.
    fn set_flow(&mut self, id: usize, flow: i32) {
        let old = self.arcs[id].flow;
        self.arcs[id].flow = flow;
        let head = self.arcs[id].to as usize;
        if old == 0 && flow > 0 {
            self.back_pos[id / 2] = self.back[head].len() as u32;
            self.back[head].push(id as u32);
        } else if old > 0 && flow == 0 {
            let pos = self.back_pos[id / 2] as usize;
            self.back[head].swap_remove(pos);
            if let Some(&moved) = self.back[head].get(pos) {
                self.back_pos[moved as usize / 2] = pos as u32;
            }
            self.back_pos[id / 2] = NONE;
        }
    }

    /// Routes every unit of supply to `sink` at least total cost and returns that cost.
    /// `keep_going` hears the units routed so far after each path and may stop the solve.
    pub fn solve(&mut self, sink: usize, keep_going: &mut dyn FnMut(usize) -> bool) -> Result<i64, FlowError> {
        for a in &mut self.arcs {
            a.flow = 0;
        }
        for b in &mut self.back {
            b.clear();
        }
        self.back_pos.fill(NONE);
        self.potential = vec![0; self.out.len()];
        self.balance = self.supply.clone();
        let total: i32 = self.supply.iter().filter(|&&s| s > 0).sum();
        self.balance[sink] -= total;
        self.route(keep_going)
    }

    /// Successive shortest paths from each node with excess to the nearest node short of flow.
    fn route(&mut self, keep_going: &mut dyn FnMut(usize) -> bool) -> Result<i64, FlowError> {
        let n = self.out.len();
        let mut potential = std::mem::take(&mut self.potential);
        potential.resize(n, 0);
        let mut dist = vec![INF; n];
        let mut prev = vec![NONE; n];
        let mut seen = vec![0u32; n];
        let mut stamp = 0u32;
        let mut settled: Vec<u32> = Vec::new();
        let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
        let mut routed = 0usize;
        for s in 0..n {
            while self.balance[s] > 0 {
                stamp += 1;
                settled.clear();
                heap.clear();
                dist[s] = 0;
                prev[s] = NONE;
                seen[s] = stamp;
                heap.push(Reverse((0, s as u32)));
                let mut target = None;
                while let Some(Reverse((d, u))) = heap.pop() {
                    let u = u as usize;
                    if d > dist[u] {
                        continue;
                    }
                    settled.push(u as u32);
                    if self.balance[u] < 0 {
                        target = Some(u);
                        break;
                    }
                    let forward = self.out[u].iter().map(|&id| id as usize);
                    let backward = self.back[u].iter().map(|&id| id as usize ^ 1);
                    for id in forward.chain(backward) {
                        let Some(c) = self.residual_cost(id) else { continue };
                        let v = self.arcs[id].to as usize;
                        let nd = d + c + potential[u] - potential[v];
                        if seen[v] != stamp || nd < dist[v] {
                            seen[v] = stamp;
                            dist[v] = nd;
                            prev[v] = id as u32;
                            heap.push(Reverse((nd, v as u32)));
                        }
                    }
                }
                let Some(t) = target else {
                    self.potential = potential;
                    return Err(FlowError::Infeasible);
                };
                self.settled += settled.len();
                let to_target = dist[t];
                for &v in &settled {
                    let v = v as usize;
                    potential[v] += dist[v] - to_target;
                }
                // Bottleneck, then augment.
                let mut push = self.balance[s].min(-self.balance[t]);
                let mut v = t;
                while v != s {
                    let id = prev[v] as usize;
                    let forward = &self.arcs[id & !1];
                    // A convex arc's next unit costs more: one unit at a time through it.
                    let room = if forward.convex != NONE {
                        1
                    } else if id & 1 == 0 {
                        forward.cap - forward.flow
                    } else {
                        forward.flow
                    };
                    push = push.min(room);
                    v = self.arcs[id ^ 1].to as usize;
                }
                let mut v = t;
                while v != s {
                    let id = prev[v] as usize;
                    let forward = id & !1;
                    let flow = self.arcs[forward].flow + if id & 1 == 0 { push } else { -push };
                    self.set_flow(forward, flow);
                    v = self.arcs[id ^ 1].to as usize;
                }
                self.balance[s] -= push;
                self.balance[t] += push;
                routed += push as usize;
                if !keep_going(routed) {
                    self.potential = potential;
                    return Err(FlowError::Stopped);
                }
            }
        }
        self.potential = potential;
        Ok(self.cost())
    }
}

/// A tiny deterministic generator for the engine's randomised tests (no `rand` crate).
#[cfg(test)]
pub(crate) struct Lcg(pub u64);

#[cfg(test)]
impl Lcg {
    pub fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + i64::from(self.next_u32()) % (hi - lo + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(g: &mut Network, sink: usize) -> Result<i64, FlowError> {
        g.solve(sink, &mut |_| true)
    }

    #[test]
    fn a_single_path_carries_the_supply() {
        let mut g = Network::new(3);
        g.set_supply(0, 3);
        g.add_arc(0, 1, 5, 2);
        g.add_arc(1, 2, 3, 1);
        assert_eq!(solve(&mut g, 2), Ok(9));
    }

    #[test]
    fn the_cheaper_of_two_paths_is_used_first() {
        let mut g = Network::new(4);
        g.set_supply(0, 1);
        let cheap = g.add_arc(0, 1, 1, 1);
        g.add_arc(1, 3, 1, 1);
        let dear = g.add_arc(0, 2, 1, 5);
        g.add_arc(2, 3, 1, 5);
        assert_eq!(solve(&mut g, 3), Ok(2));
        assert_eq!((g.flow(cheap), g.flow(dear)), (1, 0));
    }

    #[test]
    fn an_earlier_unit_is_rerouted_when_that_lets_a_later_one_through_cheaper() {
        // Unit A prefers X (1) over Y (3); unit B can only use X, or go unplaced at 100.
        let mut g = Network::new(5);
        let (a, b, x, y, sink) = (0, 1, 2, 3, 4);
        g.set_supply(a, 1);
        g.set_supply(b, 1);
        g.add_arc(a, x, 1, 1);
        let ay = g.add_arc(a, y, 1, 3);
        let bx = g.add_arc(b, x, 1, 1);
        g.add_arc(b, sink, 1, 100);
        g.add_arc(x, sink, 1, 0);
        g.add_arc(y, sink, 1, 0);
        assert_eq!(solve(&mut g, sink), Ok(4));
        assert_eq!((g.flow(ay), g.flow(bx)), (1, 1));
    }

    #[test]
    fn a_convex_arc_spreads_units_by_marginal_cost() {
        // Two practices with marginal costs 1,3,5 and 2,4,6: four units go 2 + 2.
        let mut g = Network::new(4);
        g.set_supply(0, 4);
        g.add_arc(0, 1, 10, 0);
        g.add_arc(0, 2, 10, 0);
        let a = g.add_convex_arc(1, 3, &[1, 3, 5]);
        let b = g.add_convex_arc(2, 3, &[2, 4, 6]);
        assert_eq!(solve(&mut g, 3), Ok(1 + 3 + 2 + 4));
        assert_eq!((g.flow(a), g.flow(b)), (2, 2));
    }

    #[test]
    fn supply_that_cannot_reach_the_sink_is_reported() {
        let mut g = Network::new(3);
        g.set_supply(0, 2);
        g.add_arc(0, 2, 1, 0);
        assert_eq!(solve(&mut g, 2), Err(FlowError::Infeasible));
    }

    #[test]
    fn a_solve_can_be_stopped() {
        let mut g = Network::new(2);
        g.set_supply(0, 200);
        g.add_arc(0, 1, 200, 1);
        g.add_node();
        g.set_supply(2, 1);
        g.add_arc(2, 1, 1, 1);
        assert_eq!(g.solve(1, &mut |units| units < 200), Err(FlowError::Stopped));
    }

    /// Every integer flow of a small network by enumeration: the least cost that routes all supply
    /// to the last node, or `None`.
    fn brute_force(n: usize, supply: &[i32], arcs: &[(usize, usize, Vec<i64>)]) -> Option<i64> {
        let mut best: Option<i64> = None;
        let mut flows = vec![0usize; arcs.len()];
        loop {
            let mut balance: Vec<i64> = supply.iter().map(|&s| i64::from(s)).collect();
            for (f, (u, v, _)) in flows.iter().zip(arcs) {
                balance[*u] -= *f as i64;
                balance[*v] += *f as i64;
            }
            let total: i64 = supply.iter().map(|&s| i64::from(s)).sum();
            if (0..n - 1).all(|v| balance[v] == 0) && balance[n - 1] == total {
                let cost: i64 = flows.iter().zip(arcs).map(|(&f, (_, _, m))| m[..f].iter().sum::<i64>()).sum();
                best = Some(best.map_or(cost, |b| b.min(cost)));
            }
            let mut i = 0;
            loop {
                if i == arcs.len() {
                    return best;
                }
                if flows[i] < arcs[i].2.len() {
                    flows[i] += 1;
                    break;
                }
                flows[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn small_random_networks_match_brute_force() {
        let mut rng = Lcg(42);
        for case in 0..300 {
            let n = rng.range(3, 5) as usize;
            let m = rng.range(2, 7) as usize;
            let mut arcs = Vec::new();
            for _ in 0..m {
                let u = rng.range(0, n as i64 - 2) as usize;
                let v = rng.range(0, n as i64 - 1) as usize;
                if u == v {
                    continue;
                }
                let units = rng.range(1, 2) as usize;
                let mut marg: Vec<i64> = (0..units).map(|_| rng.range(0, 6)).collect();
                if rng.range(0, 1) == 0 {
                    marg.sort_unstable();
                } else {
                    marg = vec![marg[0]; units];
                }
                arcs.push((u, v, marg));
            }
            let mut supply = vec![0i32; n];
            supply[0] = rng.range(1, 2) as i32;
            if n > 3 && rng.range(0, 1) == 0 {
                supply[1] = 1;
            }
            let mut g = Network::new(n);
            for (v, &s) in supply.iter().enumerate() {
                g.set_supply(v, s);
            }
            for (u, v, marg) in &arcs {
                if marg.len() > 1 && marg.windows(2).all(|w| w[0] == w[1]) {
                    g.add_arc(*u, *v, marg.len() as i32, marg[0]);
                } else {
                    g.add_convex_arc(*u, *v, marg);
                }
            }
            let got = g.solve(n - 1, &mut |_| true).ok();
            assert_eq!(got, brute_force(n, &supply, &arcs), "case {case}: supply {supply:?}, arcs {arcs:?}");
            if got.is_some() {
                // The potentials prove it: no residual arc has a negative reduced cost.
                for id in 0..g.arcs.len() {
                    if let Some(c) = g.residual_cost(id) {
                        let from = g.arcs[id ^ 1].to as usize;
                        let to = g.arcs[id].to as usize;
                        assert!(c + g.potential(from) - g.potential(to) >= 0, "case {case}: arc {id}");
                    }
                }
            }
        }
    }
}
