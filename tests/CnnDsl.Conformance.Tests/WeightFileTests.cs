using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using CnnDsl.Conformance.Tests.Cases;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;
using TorchSharp;
using Xunit;

namespace CnnDsl.Conformance.Tests;

/// <summary>PyTorch weights in and out, without PyTorch: files written by the generated classes and
/// by hand, loaded strictly; mismatches named; pickles that would run something refused unrun.
/// The models are Cases/weights.cnn's small ones.</summary>
public sealed class WeightFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"cnndsl-weights-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public WeightFileTests()
    {
        TorchRuntime.EnsureAvailable();
        Directory.CreateDirectory(folder);
        torch.manual_seed(12);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string FilePath(string name) => Path.Combine(folder, name);

    private static string CasePath => Path.Combine(AppContext.BaseDirectory, "Cases", "weights.cnn");

    private static InterpretedModel Interpreted(string model) => CnnInterpreter.Build(CasePath, File.ReadAllText(CasePath), model);

    private static IReadOnlyList<Dsl.Analysis.ModelInfo> CaseModels() =>
        Dsl.CnnCompiler.Compile(CasePath, File.ReadAllText(CasePath)).Models;

    [Theory]
    [InlineData("weights.safetensors")]
    [InlineData("weights.pth")]
    public void Generated_file_loads_into_the_interpreter_bit_for_bit(string name)
    {
        var path = FilePath(name);
        using var source = new SmallBN();
        using (torch.no_grad())
        {
            // Non-trivial running statistics and a count, so that buffers are seen to travel.
            source.Features_1.running_mean!.uniform_(-1, 1);
            source.Features_1.running_var!.uniform_(0.5, 2);
            source.Features_1.num_batches_tracked!.fill_(17);
        }

        source.SaveWeights(path);
        using var target = Interpreted("SmallBN");
        var report = target.LoadWeights(path, modelsInFile: CaseModels());

        Assert.Equal(source.state_dict().Count, report.Loaded);
        foreach (var (key, tensor) in source.state_dict())
        {
            Assert.True(ConformanceTests.Same(tensor, target.state_dict()[key]), key);
            Assert.Equal(tensor.dtype, target.state_dict()[key].dtype);
        }
    }

    [Fact]
    public void Safetensors_keep_their_metadata_and_their_order()
    {
        var path = FilePath("labelled.safetensors");
        using var model = new Small();
        var labels = "[\"cat\", \"dog\", \"fox\", \"owl\"]";
        model.SaveWeights(path, new Dictionary<string, string> { ["labels"] = labels });

        using var file = StateDictFile.Read(path);
        Assert.Equal(labels, file.Metadata["labels"]);
        Assert.Equal(Small.WeightLayout.Entries.Select(e => e.Key), file.Entries.Select(e => e.Key));
        var report = new Small().LoadWeights(path);
        Assert.Equal(labels, report.Metadata["labels"]);
    }

    [Fact]
    public void Saving_again_over_a_larger_file_leaves_no_stale_bytes()
    {
        var path = FilePath("over.safetensors");
        File.WriteAllBytes(path, new byte[1 << 20]);
        using var model = new Small();
        model.SaveWeights(path);
        using var file = StateDictFile.Read(path);
        Assert.True(new FileInfo(path).Length < 1 << 20);
    }

    [Fact]
    public void A_file_of_another_model_names_the_first_missing_key_and_the_model_it_fits()
    {
        var path = FilePath("small.pth");
        new Small().SaveWeights(path);
        using var target = new SmallBN();

        var error = Assert.Throws<WeightFileException>(() => target.LoadWeights(path));

        Assert.Contains("does not fit SmallBN", error.Message);
        Assert.Contains("`features.1.weight` (6) is missing from the file", error.Message);
        Assert.Contains("It fits Small of the same .cnn file", error.Message);
    }

    [Fact]
    public void A_file_with_another_classifier_names_the_mis_shaped_key_and_fine_tuning_keeps_a_new_one()
    {
        var path = FilePath("ten.safetensors");
        using var ten = new SmallTenClass();
        ten.SaveWeights(path);
        using var target = new Small();
        var before = target.Classifier_3.weight!.clone();

        var error = Assert.Throws<WeightFileException>(() => target.LoadWeights(path));
        Assert.Contains("`classifier.3.weight` is 10x8 in the file but 4x8 in Small", error.Message);
        Assert.Contains("It fits SmallTenClass", error.Message);

        var report = target.LoadWeights(path, new WeightLoadOptions { KeepInitialised = new[] { "classifier.3.weight", "classifier.3.bias" } });
        Assert.Equal(new[] { "classifier.3.weight", "classifier.3.bias" }, report.KeptInitialised);
        Assert.True(ConformanceTests.Same(target.Classifier_3.weight!, before));
        Assert.True(ConformanceTests.Same(target.Features_0.weight!, ten.Features_0.weight!));
    }

    [Fact]
    public void Auxiliary_head_keys_load_into_a_model_without_heads_only_when_asked()
    {
        var path = FilePath("aux.pth");
        using var withHeads = new SmallAux();
        withHeads.SaveWeights(path);
        using var target = new Small();

        var error = Assert.Throws<WeightFileException>(() => target.LoadWeights(path));
        Assert.Contains("`aux1.fc.weight` (4x96) is in the file but not in Small (auxiliary head `aux1`)", error.Message);
        Assert.Contains("It fits SmallAux", error.Message);
        Assert.Contains("drop them explicitly", error.Message);

        var report = target.LoadWeights(path, new WeightLoadOptions { DropAuxiliaryHeads = true });
        Assert.Equal(new[] { "aux1.fc.weight", "aux1.fc.bias" }, report.Dropped);
        Assert.True(ConformanceTests.Same(target.Classifier_0.weight!, withHeads.Classifier_0.weight!));

        // The interpreter behaves the same, told the file's other models.
        using var interpreted = Interpreted("Small");
        Assert.Throws<WeightFileException>(() => interpreted.LoadWeights(path, modelsInFile: CaseModels()));
        Assert.Equal(2, interpreted.LoadWeights(path, new WeightLoadOptions { DropAuxiliaryHeads = true }, CaseModels()).Dropped.Count);
    }

    [Fact]
    public void Another_element_type_is_named()
    {
        var path = FilePath("double.safetensors");
        using var model = new Small();
        StateDictFile.WriteSafetensors(path, model.state_dict().Select(e => new KeyValuePair<string, torch.Tensor>(e.Key, e.Value.to(torch.float64))));
        var error = Assert.Throws<WeightFileException>(() => model.LoadWeights(path));
        Assert.Contains("`features.0.weight` is Float64 in the file but Float32 in Small", error.Message);
    }

    /// <summary>A torch.save file whose pickle calls <c>posix.system</c> (what <c>os.system</c>
    /// pickles as on Linux) when Python unpickles it: refused by name, and nothing ran.</summary>
    [Theory]
    [InlineData("zip")]
    [InlineData("bare")]
    [InlineData("stack_global")]
    public void A_pickle_that_would_run_a_command_is_refused_and_runs_nothing(string form)
    {
        var marker = FilePath("pwned");
        var command = $"touch {marker}";
        var pickle = form == "stack_global" ? StackGlobalCall("posix", "system", command) : GlobalCall("posix", "system", command);
        var path = FilePath("evil.pth");
        if (form == "bare") File.WriteAllBytes(path, pickle);
        else WriteTorchZip(path, pickle);
        using var model = new Small();

        var error = Assert.Throws<WeightFileException>(() => model.LoadWeights(path));

        Assert.Contains("refused", error.Message);
        Assert.Contains("`posix.system`", error.Message);
        Assert.Contains("nothing was run", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void A_whole_pickled_model_is_refused_with_what_to_do()
    {
        var path = FilePath("whole.pth");
        WriteTorchZip(path, GlobalCall("torchvision.models.resnet", "ResNet", "x"));
        var error = Assert.Throws<WeightFileException>(() => new Small().LoadWeights(path));
        Assert.Contains("`torchvision.models.resnet.ResNet`", error.Message);
        Assert.Contains("torch.save(model.state_dict()", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "neither a PyTorch state_dict")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, (byte)'{', (byte)'}' }, "its header claims")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'[' }, "header is not valid")]
    public void Damaged_files_are_named_errors(byte[] content, string expected)
    {
        var path = FilePath("damaged.safetensors");
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<WeightFileException>(() => new Small().LoadWeights(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_safetensors_offset_beyond_the_file_is_refused_before_reading()
    {
        var path = FilePath("short.safetensors");
        var header = Encoding.UTF8.GetBytes("{\"features.0.weight\":{\"dtype\":\"F32\",\"shape\":[1000000000],\"data_offsets\":[0,4000000000]}}");
        File.WriteAllBytes(path, BitConverter.GetBytes((ulong)header.Length).Concat(header).ToArray());
        var error = Assert.Throws<WeightFileException>(() => new Small().LoadWeights(path));
        Assert.Contains("data_offsets lie outside", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_named_error()
    {
        var error = Assert.Throws<WeightFileException>(() => new Small().LoadWeights(FilePath("none.pth")));
        Assert.Contains("none.pth: cannot read", error.Message);
    }

    /// <summary>Protocol 2, as torch.save writes: GLOBAL module name, the argument, TUPLE1, REDUCE.</summary>
    private static byte[] GlobalCall(string module, string name, string argument)
    {
        var bytes = new List<byte> { 0x80, 2, (byte)'c' };
        bytes.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        AddUnicode(bytes, argument);
        bytes.AddRange(new byte[] { 0x85, (byte)'R', (byte)'.' });
        return bytes.ToArray();
    }

    /// <summary>Protocol 4: module and name pushed as strings and memoised, then STACK_GLOBAL.</summary>
    private static byte[] StackGlobalCall(string module, string name, string argument)
    {
        var bytes = new List<byte> { 0x80, 4 };
        AddUnicode(bytes, module);
        bytes.Add(0x94);
        AddUnicode(bytes, name);
        bytes.Add(0x94);
        bytes.Add(0x93);
        AddUnicode(bytes, argument);
        bytes.AddRange(new byte[] { 0x85, (byte)'R', (byte)'.' });
        return bytes.ToArray();
    }

    private static void AddUnicode(List<byte> bytes, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        bytes.Add((byte)'X');
        bytes.AddRange(BitConverter.GetBytes(utf8.Length));
        bytes.AddRange(utf8);
    }

    private static void WriteTorchZip(string path, byte[] pickle)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var data = zip.CreateEntry("evil/data.pkl", CompressionLevel.NoCompression).Open()) data.Write(pickle);
        using (var version = zip.CreateEntry("evil/version", CompressionLevel.NoCompression).Open()) version.Write(Encoding.ASCII.GetBytes("3\n"));
    }
}
