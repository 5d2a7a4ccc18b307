using System;
using System.IO;
using System.Linq;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>The generated classes' state_dict against torchvision's own, as
/// tools/torchvision/reference_figures.py --keys wrote it from torchvision 0.14.1 into
/// Torchvision/*.keys ("key shape" per line): the same keys with the same shapes. TorchSharp lists
/// all parameters, then all buffers (PyTorch interleaves them per module); loading goes by key, so
/// parameters and buffers are each compared in torchvision's order.</summary>
public sealed class TorchvisionKeyFileTests : IClassFixture<TorchFixture>
{
    [Theory]
    [InlineData("MNASNet0_5", "mnasnet0_5")]
    [InlineData("MNASNet0_75", "mnasnet0_75")]
    [InlineData("MNASNet1_0", "mnasnet1_0")]
    [InlineData("MNASNet1_3", "mnasnet1_3")]
    public void State_dict_equals_torchvisions(string model, string torchvisionName)
    {
        var expected = File.ReadAllLines(KeyFile(torchvisionName))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' '))
            .Select(p => (Key: p[0], Shape: p[1]))
            .ToList();
        using var module = ReferenceFigures.All[model].Create();
        var state = module.state_dict();
        Assert.Equal(expected.Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal), state.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
        {
            Assert.Equal((key, shape), (key, state[key].shape.Length == 0 ? "scalar" : string.Join("x", state[key].shape)));
        }

        var buffers = module.named_buffers().Select(b => b.name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Select(e => e.Key).Where(k => !buffers.Contains(k)), module.named_parameters().Select(p => p.name));
        Assert.Equal(expected.Select(e => e.Key).Where(buffers.Contains), module.named_buffers().Select(b => b.name));
    }

    /// <summary>The key file, found from the test binaries up to the repository root.</summary>
    private static string KeyFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "CnnDsl.Models.Tests", "Torchvision", name + ".keys");
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException($"{name}.keys not found above {AppContext.BaseDirectory}");
    }
}
