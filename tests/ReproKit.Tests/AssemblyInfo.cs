// Torch's global random generator and thread pool are process-wide, so tests that seed it must not
// interleave with tests that draw from it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
