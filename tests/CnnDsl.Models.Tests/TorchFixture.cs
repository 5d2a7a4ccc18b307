using CnnDsl.Runtime;
using TorchSharp;

namespace CnnDsl.Models.Tests;

/// <summary>Loads libtorch once, with the project's clear error if it cannot, and fixes the seed.</summary>
public sealed class TorchFixture
{
    public TorchFixture()
    {
        TorchRuntime.EnsureAvailable();
        torch.manual_seed(20261123);
    }
}
