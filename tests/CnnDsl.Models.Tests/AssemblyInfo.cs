// The models here hold up to 575 MB of weights each; one at a time keeps the 2-core CI machine
// within memory and its timings sane.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
