//! A primal network simplex for the minimum-cost circulation: arcs with a capacity and an integer
//! cost, no supplies, the flow of least cost that keeps every capacity. It follows the design of
//! LEMON's `NetworkSimplex` (Kovács, "Minimum-cost flow algorithms: an experimental evaluation",
//! 2015): a spanning tree stored as parent, thread and subtree sizes so that a pivot only touches
//! the nodes it moves, an artificial root joined to every node, block search for the entering arc
//! and the strongly feasible rule for the leaving one (no cycling).

const NONE: usize = usize::MAX;

/// An arc's place in the basis: at its upper bound, in the spanning tree, at its lower bound.
/// The sign makes `state × reduced cost` negative exactly when the arc should enter.
const UPPER: i8 = -1;
const TREE: i8 = 0;
const LOWER: i8 = 1;

/// Whether a node's tree arc points up to its parent or down from it.
const UP: i8 = 1;
const DOWN: i8 = -1;

/// A circulation problem: add the arcs, then solve.
#[derive(Clone, Debug)]
pub(super) struct Circulation {
    pub(super) nodes: usize,
    pub(super) source: Vec<usize>,
    pub(super) target: Vec<usize>,
    pub(super) capacity: Vec<i64>,
    pub(super) cost: Vec<i64>,
}

impl Circulation {
    pub(super) fn new(nodes: usize) -> Self {
        Self {
            nodes,
            source: Vec::new(),
            target: Vec::new(),
            capacity: Vec::new(),
            cost: Vec::new(),
        }
    }

    /// Adds an arc and says its number, the index of its flow in what `solve` returns.
    pub(super) fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i64) -> usize {
        self.source.push(from);
        self.target.push(to);
        self.capacity.push(capacity);
        self.cost.push(cost);
        self.source.len() - 1
    }

    /// The flow on each arc of a circulation of least cost.
    pub(super) fn solve(self) -> Vec<i64> {
        let arcs = self.source.len();
        let mut simplex = Simplex::new(self);
        while simplex.find_entering_arc() {
            simplex.pivot();
        }
        simplex.flow.truncate(arcs);
        simplex.flow
    }
}

struct Simplex {
    // Per arc: the problem's arcs, then one artificial arc per node (node → root).
    source: Vec<usize>,
    target: Vec<usize>,
    capacity: Vec<i64>,
    cost: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    // Per node, the root last: the potential and the spanning tree.
    pi: Vec<i64>,
    parent: Vec<usize>,
    pred: Vec<usize>,
    pred_dir: Vec<i8>,
    thread: Vec<usize>,
    rev_thread: Vec<usize>,
    succ_num: Vec<usize>,
    last_succ: Vec<usize>,
    dirty_revs: Vec<usize>,
    // The search for an entering arc goes round the problem's arcs in blocks.
    search_arcs: usize,
    block: usize,
    next_arc: usize,
    // The current pivot.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: i64,
}

impl Simplex {
    fn new(problem: Circulation) -> Self {
        let nodes = problem.nodes;
        let arcs = problem.source.len();
        let root = nodes;
        let mut simplex = Simplex {
            flow: vec![0; arcs + nodes],
            state: vec![LOWER; arcs + nodes],
            source: problem.source,
            target: problem.target,
            capacity: problem.capacity,
            cost: problem.cost,
            pi: vec![0; nodes + 1],
            parent: vec![root; nodes + 1],
            pred: vec![NONE; nodes + 1],
            pred_dir: vec![UP; nodes + 1],
            thread: vec![0; nodes + 1],
            rev_thread: vec![0; nodes + 1],
            succ_num: vec![1; nodes + 1],
            last_succ: vec![0; nodes + 1],
            dirty_revs: Vec::new(),
            search_arcs: arcs,
            block: ((arcs as f64).sqrt() as usize).max(10),
            next_arc: 0,
            in_arc: 0,
            join: 0,
            u_in: 0,
            v_in: 0,
            u_out: 0,
            delta: 0,
        };
        // The first tree: every node hangs from the root by an artificial arc without flow or
        // cost. With no supplies, the root's balance keeps their flows at zero.
        simplex.parent[root] = NONE;
        simplex.thread[root] = 0;
        simplex.rev_thread[0] = root;
        simplex.succ_num[root] = nodes + 1;
        simplex.last_succ[root] = root.saturating_sub(1);
        for u in 0..nodes {
            let e = arcs + u;
            simplex.source.push(u);
            simplex.target.push(root);
            simplex.capacity.push(i64::MAX);
            simplex.cost.push(0);
            simplex.state[e] = TREE;
            simplex.pred[u] = e;
            simplex.thread[u] = u + 1;
            simplex.rev_thread[u + 1] = u;
            simplex.last_succ[u] = u;
        }
        simplex
    }

    fn reduced_cost(&self, e: usize) -> i64 {
        self.cost[e] + self.pi[self.source[e]] - self.pi[self.target[e]]
    }

    /// Block search: the most violating arc of the first block that holds one.
    fn find_entering_arc(&mut self) -> bool {
        let mut min = 0i64;
        let mut count = self.block;
        let arcs = self.search_arcs;
        for e in (self.next_arc..arcs).chain(0..self.next_arc) {
            let c = i64::from(self.state[e]) * self.reduced_cost(e);
            if c < min {
                min = c;
                self.in_arc = e;
            }
            count -= 1;
            if count == 0 {
                if min < 0 {
                    self.next_arc = e + 1;
                    return true;
                }
                count = self.block;
            }
        }
        if min < 0 {
            self.next_arc = self.in_arc + 1;
            return true;
        }
        false
    }

    fn pivot(&mut self) {
        self.find_join_node();
        let change = self.find_leaving_arc();
        self.change_flow(change);
        if change {
            self.update_tree();
            self.update_potential();
        }
    }

    fn find_join_node(&mut self) {
        let (mut u, mut v) = (self.source[self.in_arc], self.target[self.in_arc]);
        while u != v {
            if self.succ_num[u] < self.succ_num[v] {
                u = self.parent[u];
            } else {
                v = self.parent[v];
            }
        }
        self.join = u;
    }

    /// The arc of the cycle that blocks first, preferring the last one met from the entering
    /// arc's head (which keeps the tree strongly feasible); false when the entering arc itself
    /// blocks first.
    fn find_leaving_arc(&mut self) -> bool {
        let e = self.in_arc;
        let (first, second) = if self.state[e] == LOWER {
            (self.source[e], self.target[e])
        } else {
            (self.target[e], self.source[e])
        };
        self.delta = self.capacity[e];
        let mut result = 0;
        let room = |simplex: &Self, u: usize, forward: bool| {
            let arc = simplex.pred[u];
            if forward {
                simplex.capacity[arc].saturating_sub(simplex.flow[arc])
            } else {
                simplex.flow[arc]
            }
        };
        let mut u = first;
        while u != self.join {
            let d = room(self, u, self.pred_dir[u] == DOWN);
            if d < self.delta {
                self.delta = d;
                self.u_out = u;
                result = 1;
            }
            u = self.parent[u];
        }
        let mut u = second;
        while u != self.join {
            let d = room(self, u, self.pred_dir[u] == UP);
            if d <= self.delta {
                self.delta = d;
                self.u_out = u;
                result = 2;
            }
            u = self.parent[u];
        }
        if result == 1 {
            (self.u_in, self.v_in) = (first, second);
        } else {
            (self.u_in, self.v_in) = (second, first);
        }
        result != 0
    }

    fn change_flow(&mut self, change: bool) {
        let e = self.in_arc;
        if self.delta > 0 {
            let val = i64::from(self.state[e]) * self.delta;
            self.flow[e] += val;
            let mut u = self.source[e];
            while u != self.join {
                self.flow[self.pred[u]] -= i64::from(self.pred_dir[u]) * val;
                u = self.parent[u];
            }
            let mut u = self.target[e];
            while u != self.join {
                self.flow[self.pred[u]] += i64::from(self.pred_dir[u]) * val;
                u = self.parent[u];
            }
        }
        if change {
            self.state[e] = TREE;
            let out = self.pred[self.u_out];
            self.state[out] = if self.flow[out] == 0 { LOWER } else { UPPER };
        } else {
            self.state[e] = -self.state[e];
        }
    }

    /// Hangs the subtree cut off by the leaving arc below the entering arc: the path from `u_in`
    /// to `u_out` (the stem) turns over, the thread is spliced, and subtree sizes and last
    /// successors are mended up to the join node.
    fn update_tree(&mut self) {
        let (u_in, v_in, u_out, join) = (self.u_in, self.v_in, self.u_out, self.join);
        let old_rev_thread = self.rev_thread[u_out];
        let old_succ_num = self.succ_num[u_out];
        let old_last_succ = self.last_succ[u_out];
        let v_out = self.parent[u_out];

        if u_in == u_out {
            self.parent[u_in] = v_in;
            self.pred[u_in] = self.in_arc;
            self.pred_dir[u_in] = if u_in == self.source[self.in_arc] {
                UP
            } else {
                DOWN
            };
            if self.thread[v_in] != u_out {
                let mut after = self.thread[old_last_succ];
                self.thread[old_rev_thread] = after;
                self.rev_thread[after] = old_rev_thread;
                after = self.thread[v_in];
                self.thread[v_in] = u_out;
                self.rev_thread[u_out] = v_in;
                self.thread[old_last_succ] = after;
                self.rev_thread[after] = old_last_succ;
            }
        } else {
            let thread_continue = if old_rev_thread == v_in {
                self.thread[old_last_succ]
            } else {
                self.thread[v_in]
            };
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = self.last_succ[u_in];
            let mut after = self.thread[last];
            self.thread[v_in] = u_in;
            self.dirty_revs.clear();
            self.dirty_revs.push(v_in);
            while stem != u_out {
                let next_stem = self.parent[stem];
                self.thread[last] = next_stem;
                self.dirty_revs.push(last);
                let before = self.rev_thread[stem];
                self.thread[before] = after;
                self.rev_thread[after] = before;
                self.parent[stem] = par_stem;
                par_stem = stem;
                stem = next_stem;
                last = if self.last_succ[stem] == self.last_succ[par_stem] {
                    self.rev_thread[par_stem]
                } else {
                    self.last_succ[stem]
                };
                after = self.thread[last];
            }
            self.parent[u_out] = par_stem;
            self.thread[last] = thread_continue;
            self.rev_thread[thread_continue] = last;
            self.last_succ[u_out] = last;
            if old_rev_thread != v_in {
                self.thread[old_rev_thread] = after;
                self.rev_thread[after] = old_rev_thread;
            }
            for &u in &self.dirty_revs {
                self.rev_thread[self.thread[u]] = u;
            }
            let mut tmp_sc = 0usize;
            let tmp_ls = self.last_succ[u_out];
            let mut u = u_out;
            while u != u_in {
                let p = self.parent[u];
                self.pred[u] = self.pred[p];
                self.pred_dir[u] = -self.pred_dir[p];
                tmp_sc = tmp_sc + self.succ_num[u] - self.succ_num[p];
                self.succ_num[u] = tmp_sc;
                self.last_succ[p] = tmp_ls;
                u = p;
            }
            self.pred[u_in] = self.in_arc;
            self.pred_dir[u_in] = if u_in == self.source[self.in_arc] {
                UP
            } else {
                DOWN
            };
            self.succ_num[u_in] = old_succ_num;
        }

        let up_limit_out = if self.last_succ[join] == v_in {
            join
        } else {
            NONE
        };
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in;
        while u != NONE && self.last_succ[u] == v_in {
            self.last_succ[u] = last_succ_out;
            u = self.parent[u];
        }
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out;
            while u != up_limit_out && self.last_succ[u] == old_last_succ {
                self.last_succ[u] = old_rev_thread;
                u = self.parent[u];
            }
        } else if last_succ_out != old_last_succ {
            let mut u = v_out;
            while u != up_limit_out && self.last_succ[u] == old_last_succ {
                self.last_succ[u] = last_succ_out;
                u = self.parent[u];
            }
        }
        let mut u = v_in;
        while u != join {
            self.succ_num[u] += old_succ_num;
            u = self.parent[u];
        }
        let mut u = v_out;
        while u != join {
            self.succ_num[u] -= old_succ_num;
            u = self.parent[u];
        }
    }

    /// Shifts the potentials of the moved subtree so that the entering arc costs nothing reduced.
    fn update_potential(&mut self) {
        let u_in = self.u_in;
        let sigma = self.pi[self.v_in]
            - self.pi[u_in]
            - i64::from(self.pred_dir[u_in]) * self.cost[self.in_arc];
        let end = self.thread[self.last_succ[u_in]];
        let mut u = u_in;
        while u != end {
            self.pi[u] += sigma;
            u = self.thread[u];
        }
    }
}
