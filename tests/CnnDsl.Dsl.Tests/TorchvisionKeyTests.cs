using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The state_dict keys and tensor shapes of the zoo's models equal torchvision's, in
/// torchvision's order. The expected lists are torchvision's own, written by
/// tools/torchvision/zoo_reference.py into Torchvision/*.keys (never typed by hand).</summary>
public class TorchvisionKeyTests
{
    private static string Folder => Path.Combine(RepositoryRoot, "tests", "CnnDsl.Dsl.Tests", "Torchvision");

    public static IEnumerable<object[]> Models() =>
        Directory.GetFiles(Folder, "*.keys").Select(Path.GetFileNameWithoutExtension).OrderBy(n => n, System.StringComparer.Ordinal)
            .Select(n => new object[] { n! });

    [Theory]
    [MemberData(nameof(Models))]
    public void Keys_and_shapes_equal_torchvision(string model)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, model + ".keys"));
        // The header names the .cnn file the list belongs to.
        var file = System.Text.RegularExpressions.Regex.Match(lines[1], @"architectures/(?<file>[a-z0-9_]+\.cnn), model (?<model>\w+)\.");
        Assert.True(file.Success, lines[1]);
        Assert.Equal(model, file.Groups["model"].Value);

        var expected = lines.Where(l => !l.StartsWith('#')).ToList();
        var actual = ArchitectureModel(file.Groups["file"].Value, model).StateDict()
            .Select(e => e.Key + " " + (e.Tensor.Shape.Count == 0 ? "-" : string.Join("x", e.Tensor.Shape)))
            .ToList();
        Assert.True(expected.Count > 50, $"{model}: only {expected.Count} keys listed");
        Assert.Equal(expected, actual);
    }
}
