// Training changes libtorch's global state (the generator's seed, the thread count), and every
// test trains on both cores' worth of work: one test at a time keeps results exact and timings sane.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
