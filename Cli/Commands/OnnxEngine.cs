using System.IO;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Inference;
using CnnDsl.Runtime.Export;
using TorchSharp;

namespace CnnDsl.Cli.Commands;

/// <summary><c>cnn predict --engine onnx</c>: the model with its loaded weights is exported to a
/// temporary ONNX file and run by ONNX Runtime in a child process (ONNX Runtime dies with SIGFPE
/// in a process that holds libtorch on some Linux machines, and this one does).</summary>
public static class OnnxEngine
{
    /// <summary>The engines <c>--engine</c> takes.</summary>
    public static readonly string[] Names = { "torch", "onnx" };

    /// <summary>The model's output on <paramref name="input"/> (N x C x H x W), computed by ONNX Runtime.</summary>
    /// <exception cref="OnnxProcessException">ONNX Runtime's process failed.</exception>
    /// <exception cref="CnnDsl.Export.ExportException">The model cannot be written as ONNX.</exception>
    public static torch.Tensor Forward(torch.nn.Module module, ModelInfo model, torch.Tensor input)
    {
        if (!input.shape.Skip(1).SequenceEqual(model.Input.Dimensions))
        {
            throw new CnnDsl.Export.ExportException(
                $"the ONNX engine runs the model at its declared input, N x {model.Input}, not {string.Join("x", input.shape)}; resize the input or use --engine torch");
        }

        var folder = Directory.CreateTempSubdirectory("cnn-predict-");
        try
        {
            var path = Path.Combine(folder.FullName, model.Name + ".onnx");
            ModelExport.WriteOnnx(module, model, path);
            var cpu = input.to(torch.float32).cpu().contiguous();
            var result = OnnxProcess.Run(path, new TensorFile(cpu.shape, cpu.data<float>().ToArray()));
            return torch.tensor(result.Values, result.Shape);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
