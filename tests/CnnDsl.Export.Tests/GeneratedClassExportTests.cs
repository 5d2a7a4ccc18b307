using System;
using System.IO;
using System.Linq;
using CnnDsl.Architectures;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Imports;
using CnnDsl.Export.PyTorch;
using CnnDsl.Runtime.Export;
using TorchSharp;
using Xunit;

namespace CnnDsl.Export.Tests;

/// <summary>A generated class writes the same ONNX file and Python module as <c>cnn export</c>'s
/// path (the exporters given the model analysed from its .cnn file), from the .cnn text embedded
/// in it: no file is read at run time.</summary>
public sealed class GeneratedClassExportTests
{
    public GeneratedClassExportTests() => torch.set_num_threads(1);

    [Fact]
    public void Export_onnx_of_a_generated_class_writes_the_file_of_the_exporter()
    {
        torch.manual_seed(11);
        using var model = new ResNet18();
        Same(model, "resnet.cnn", "ResNet18");
    }

    [Fact]
    public void Export_of_classes_with_runtime_layers_writes_the_files_of_the_exporter()
    {
        torch.manual_seed(12);
        using (var lenet = new LeNet5_1998()) Same(lenet, "lenet5.cnn", "LeNet5_1998");
        using var convnext = new ConvNeXtTiny();
        Same(convnext, "convnext.cnn", "ConvNeXtTiny");
    }

    private static void Same(torch.nn.Module<torch.Tensor, torch.Tensor> module, string file, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "architectures", file);
        var info = CnnCompiler.Compile(path, File.ReadAllText(path), FileImportResolver.Disk).Models.Single(m => m.Name == name);
        var folder = Python.TemporaryFolder().FullName;
        try
        {
            var (generated, exporter) = (Path.Combine(folder, "generated.onnx"), Path.Combine(folder, "exporter.onnx"));
            module.GetType().GetMethod("ExportOnnx")!.Invoke(module, new object[] { generated, 17 });
            ModelExport.WriteOnnx(module, info, exporter);
            Assert.True(File.ReadAllBytes(generated).AsSpan().SequenceEqual(File.ReadAllBytes(exporter)), $"{name}: the generated ExportOnnx wrote another file");

            var python = Path.Combine(folder, "generated.py");
            module.GetType().GetMethod("ExportPyTorch")!.Invoke(module, new object[] { python });
            Assert.Equal(PyTorchExporter.Write(info, ModelExport.StateTensors(module)), File.ReadAllText(python));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
