//! A min-cost max-flow solver: successive shortest paths with node potentials (Dijkstra on reduced
//! costs), integer capacities and costs.
//!
//! The optimizer (`suggest`) uses it for one placement round: source → trainee → practice → sink.
//! Convex costs are modelled by parallel unit arcs with non-decreasing costs (`add_convex_arcs`): the
//! cheapest arc is always used first, so the k-th unit costs the k-th marginal cost.
//!
//! Negative arc costs are allowed as long as the graph has no negative cycle; the first potentials
//! then come from Bellman–Ford.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The position of an arc, as returned by `add_arc`.
pub type ArcId = usize;

#[derive(Clone, Debug)]
struct Arc {
    to: usize,
    cap: i64,
    cost: i64,
    flow: i64,
}

/// The result of a solve: units sent and their total cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowResult {
    pub flow: i64,
    pub cost: i64,
}

/// A flow network. Each arc is stored with its residual twin at `id ^ 1`.
#[derive(Clone, Debug, Default)]
pub struct MinCostFlow {
    out: Vec<Vec<ArcId>>,
    arcs: Vec<Arc>,
}

const INF: i64 = i64::MAX / 4;

impl MinCostFlow {
    /// A network with `nodes` nodes, numbered from 0, and no arcs.
    pub fn new(nodes: usize) -> MinCostFlow {
        MinCostFlow { out: vec![Vec::new(); nodes], arcs: Vec::new() }
    }

    /// Adds a node and returns its number.
    pub fn add_node(&mut self) -> usize {
        self.out.push(Vec::new());
        self.out.len() - 1
    }

    /// The number of nodes.
    pub fn nodes(&self) -> usize {
        self.out.len()
    }

    /// Adds an arc `from → to` carrying up to `cap` units at `cost` each.
    pub fn add_arc(&mut self, from: usize, to: usize, cap: i64, cost: i64) -> ArcId {
        let id = self.arcs.len();
        self.arcs.push(Arc { to, cap, cost, flow: 0 });
        self.arcs.push(Arc { to: from, cap: 0, cost: -cost, flow: 0 });
        self.out[from].push(id);
        self.out[to].push(id + 1);
        id
    }

    /// A convex cost from `from` to `to`: one unit arc per entry of `marginal_costs`, which must not
    /// decrease (the k-th unit costs the k-th entry).
    pub fn add_convex_arcs(&mut self, from: usize, to: usize, marginal_costs: &[i64]) -> Vec<ArcId> {
        debug_assert!(marginal_costs.windows(2).all(|w| w[0] <= w[1]), "marginal costs must not decrease");
        marginal_costs.iter().map(|&c| self.add_arc(from, to, 1, c)).collect()
    }

    /// Units on an arc after a solve.
    pub fn flow(&self, arc: ArcId) -> i64 {
        self.arcs[arc].flow
    }

    /// Arcs leaving `node` (not their residual twins), with their flow.
    pub fn arcs_from(&self, node: usize) -> impl Iterator<Item = (ArcId, usize, i64)> + '_ {
        self.out[node].iter().filter(|&&id| id % 2 == 0).map(|&id| (id, self.arcs[id].to, self.arcs[id].flow))
    }

    /// Sends as much as possible (at most `limit`) from `s` to `t` at least cost.
    pub fn solve(&mut self, s: usize, t: usize, limit: i64) -> FlowResult {
        self.solve_with(s, t, limit, &mut |_| true).unwrap_or(FlowResult { flow: 0, cost: 0 })
    }

    /// As `solve`; `keep_going` hears the flow so far after each augmenting path and may stop the
    /// solve by returning false, which gives `None` (the network then holds a partial flow).
    pub fn solve_with(
        &mut self,
        s: usize,
        t: usize,
        limit: i64,
        keep_going: &mut dyn FnMut(i64) -> bool,
    ) -> Option<FlowResult> {
        let n = self.out.len();
        let mut potential = self.initial_potentials(s);
        let mut dist = vec![INF; n];
        let mut prev_arc = vec![usize::MAX; n];
        let mut result = FlowResult { flow: 0, cost: 0 };
        while result.flow < limit {
            // Dijkstra on reduced costs, which are non-negative thanks to the potentials.
            dist.fill(INF);
            prev_arc.fill(usize::MAX);
            dist[s] = 0;
            let mut heap = BinaryHeap::new();
            heap.push(Reverse((0i64, s)));
            while let Some(Reverse((d, u))) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                if u == t {
                    // Nodes not settled yet are at least as far as t; see the potential update.
                    break;
                }
                for &id in &self.out[u] {
                    let a = &self.arcs[id];
                    if a.cap - a.flow <= 0 {
                        continue;
                    }
                    let nd = d + a.cost + potential[u] - potential[a.to];
                    if nd < dist[a.to] {
                        dist[a.to] = nd;
                        prev_arc[a.to] = id;
                        heap.push(Reverse((nd, a.to)));
                    }
                }
            }
            if dist[t] >= INF {
                break;
            }
            // Adding min(dist, dist[t]) keeps every residual reduced cost non-negative even though the
            // search stopped at t (nodes beyond t, or out of reach, all move by dist[t]).
            let to_sink = dist[t];
            for v in 0..n {
                potential[v] += dist[v].min(to_sink);
            }
            // Bottleneck along the path.
            let mut push = limit - result.flow;
            let mut v = t;
            while v != s {
                let id = prev_arc[v];
                push = push.min(self.arcs[id].cap - self.arcs[id].flow);
                v = self.arcs[id ^ 1].to;
            }
            let mut v = t;
            while v != s {
                let id = prev_arc[v];
                self.arcs[id].flow += push;
                self.arcs[id ^ 1].flow -= push;
                result.cost += push * self.arcs[id].cost;
                v = self.arcs[id ^ 1].to;
            }
            result.flow += push;
            if !keep_going(result.flow) {
                return None;
            }
        }
        Some(result)
    }

    /// Shortest distances from `s` when some arc cost is negative (Bellman–Ford); zero otherwise.
    fn initial_potentials(&self, s: usize) -> Vec<i64> {
        let n = self.out.len();
        let residual = |a: &Arc| a.cap - a.flow > 0;
        if !self.arcs.iter().any(|a| residual(a) && a.cost < 0) {
            return vec![0; n];
        }
        let mut dist = vec![INF; n];
        dist[s] = 0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if dist[u] >= INF {
                    continue;
                }
                for &id in &self.out[u] {
                    let a = &self.arcs[id];
                    if residual(a) && dist[u] + a.cost < dist[a.to] {
                        dist[a.to] = dist[u] + a.cost;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Nodes out of reach never join a path; any potential will do for them.
        dist.iter().map(|&d| if d >= INF { 0 } else { d }).collect()
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

    #[test]
    fn a_single_path_carries_its_bottleneck() {
        let mut g = MinCostFlow::new(3);
        g.add_arc(0, 1, 5, 2);
        g.add_arc(1, 2, 3, 1);
        assert_eq!(g.solve(0, 2, i64::MAX), FlowResult { flow: 3, cost: 9 });
    }

    #[test]
    fn the_cheaper_of_two_paths_is_used_first() {
        let mut g = MinCostFlow::new(4);
        let cheap = g.add_arc(0, 1, 1, 1);
        g.add_arc(1, 3, 1, 1);
        let dear = g.add_arc(0, 2, 1, 5);
        g.add_arc(2, 3, 1, 5);
        assert_eq!(g.solve(0, 3, 1), FlowResult { flow: 1, cost: 2 });
        assert_eq!((g.flow(cheap), g.flow(dear)), (1, 0));
    }

    #[test]
    fn a_flow_is_rerouted_through_residual_arcs_when_that_lets_more_through() {
        // The classic trap: the cheapest first path blocks a second one unless undone.
        let mut g = MinCostFlow::new(4);
        g.add_arc(0, 1, 1, 1);
        g.add_arc(0, 2, 1, 1);
        g.add_arc(1, 2, 1, -5);
        g.add_arc(1, 3, 1, 1);
        g.add_arc(2, 3, 1, 1);
        let r = g.solve(0, 3, i64::MAX);
        assert_eq!(r.flow, 2);
        assert_eq!(r.cost, 4);
    }

    #[test]
    fn convex_arcs_spread_units_by_marginal_cost() {
        // Two sinks with marginal costs 1,3,5 and 2,4,6: four units go 2 + 2.
        let mut g = MinCostFlow::new(4);
        g.add_arc(0, 1, 10, 0);
        g.add_arc(0, 2, 10, 0);
        let a = g.add_convex_arcs(1, 3, &[1, 3, 5]);
        let b = g.add_convex_arcs(2, 3, &[2, 4, 6]);
        let r = g.solve(0, 3, 4);
        assert_eq!(r, FlowResult { flow: 4, cost: 1 + 3 + 2 + 4 });
        let used = |arcs: &[ArcId]| arcs.iter().map(|&x| g.flow(x)).sum::<i64>();
        assert_eq!((used(&a), used(&b)), (2, 2));
    }

    #[test]
    fn a_solve_can_be_cancelled() {
        let mut g = MinCostFlow::new(2);
        g.add_convex_arcs(0, 1, &[1, 2, 3]);
        assert_eq!(g.solve_with(0, 1, i64::MAX, &mut |f| f < 2), None);
    }

    /// Every integer flow of a small DAG, by enumeration: the max value and its least cost.
    fn brute_force(n: usize, arcs: &[(usize, usize, i64, i64)]) -> (i64, i64) {
        let mut best = (0i64, 0i64);
        let mut flows = vec![0i64; arcs.len()];
        loop {
            let mut balance = vec![0i64; n];
            for (f, &(u, v, _, _)) in flows.iter().zip(arcs) {
                balance[u] -= f;
                balance[v] += f;
            }
            if (1..n - 1).all(|v| balance[v] == 0) {
                let value = balance[n - 1];
                let cost: i64 = flows.iter().zip(arcs).map(|(f, a)| f * a.3).sum();
                if value > best.0 || (value == best.0 && cost < best.1) {
                    best = (value, cost);
                }
            }
            // Next combination.
            let mut i = 0;
            loop {
                if i == arcs.len() {
                    return best;
                }
                if flows[i] < arcs[i].2 {
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
        for _ in 0..300 {
            let n = rng.range(3, 5) as usize;
            let m = rng.range(2, 8) as usize;
            let mut arcs = Vec::new();
            for _ in 0..m {
                let u = rng.range(0, n as i64 - 2) as usize;
                let v = rng.range(u as i64 + 1, n as i64 - 1) as usize;
                arcs.push((u, v, rng.range(0, 2), rng.range(-4, 6)));
            }
            let mut g = MinCostFlow::new(n);
            for &(u, v, c, w) in &arcs {
                g.add_arc(u, v, c, w);
            }
            let r = g.solve(0, n - 1, i64::MAX);
            let (flow, cost) = brute_force(n, &arcs);
            assert_eq!((r.flow, r.cost), (flow, cost), "arcs {arcs:?}");
        }
    }
}
