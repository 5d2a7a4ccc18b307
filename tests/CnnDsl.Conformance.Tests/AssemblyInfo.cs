// VGG19's weights are 575 MB and the test holds them up to four times (the file, the generated
// class, the interpreter, PyTorch's process): one model at a time keeps the 2-core CI machine
// within memory.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
