// Each test here runs a whole local host (Kestrel, Durable worker, listeners) on two cores;
// one at a time keeps their timings far from the deadlines they test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
