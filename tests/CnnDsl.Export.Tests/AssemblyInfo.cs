// One model at a time: the largest (ConvNeXt-Large, VGG19) are held up to four times at once
// (TorchSharp, its float64 copy, the exported file, the engine's process) on a 2-core CI machine.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
