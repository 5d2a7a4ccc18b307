using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Export;
using CnnDsl.Export.Onnx;
using CnnDsl.Export.PyTorch;
using TorchSharp;

namespace CnnDsl.Runtime.Export
{
    /// <summary>Exports a TorchSharp module of a CnnDsl model (a generated class or an
    /// <see cref="Interpreter.InterpretedModel"/>) with its current weights: its <c>state_dict</c>
    /// copied to plain arrays, then written by the exporters of <c>CnnDsl.Export</c>.</summary>
    public static class ModelExport
    {
        /// <summary>The module's <c>state_dict</c> as plain little-endian arrays (float32, and
        /// int64 for <c>num_batches_tracked</c>), copied to the CPU.</summary>
        /// <exception cref="ExportException">A tensor of another element type, or of more than
        /// 2 GiB (the most one array, and one ONNX file without external data, can hold).</exception>
        public static IReadOnlyDictionary<string, StateTensor> StateTensors(torch.nn.Module module)
        {
            ArgumentNullException.ThrowIfNull(module);
            var result = new Dictionary<string, StateTensor>(StringComparer.Ordinal);
            using var scope = torch.NewDisposeScope();
            foreach (var (key, tensor) in module.state_dict())
            {
                var cpu = tensor.detach().cpu().contiguous();
                var shape = (long[])cpu.shape.Clone();
                var type = cpu.dtype == torch.float32 ? StateElementType.Float32
                    : cpu.dtype == torch.int64 ? StateElementType.Int64
                    : throw new ExportException($"`{key}` is {cpu.dtype}; the exporters write float32 models (and int64 counters)");
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("state tensors are little-endian");
                var bytes = cpu.NumberOfElements * cpu.ElementSize;
                if (bytes > int.MaxValue) throw TooLarge($"`{key}` holds {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
                // One copy of the storage, as libtorch holds it (row-major, little-endian on this platform).
                result[key] = new StateTensor(shape, type, cpu.bytes.ToArray());
            }

            return result;
        }

        /// <summary>Why the model cannot be exported to ONNX, from its analysis alone (before
        /// anything is built): its weights exceed the 2 GiB a protobuf message, and so an ONNX
        /// file without external data, can hold. Null when they fit.</summary>
        public static string? OnnxSizeProblem(ModelInfo model)
        {
            ArgumentNullException.ThrowIfNull(model);
            long total = 0;
            foreach (var (_, tensor) in model.StateDict())
            {
                total += tensor.Bytes(4);
                if (total > int.MaxValue) break;
            }

            return total > int.MaxValue
                ? $"{model.Name}'s weights take more than 2 GiB ({model.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters), the most an ONNX file without external data can hold (CnnDsl does not write external data); --pytorch writes a module of any size"
                : null;
        }

        private static ExportException TooLarge(string what) =>
            new($"{what}, more than the 2 GiB one exported tensor (and one ONNX file without external data) can hold");

        /// <summary>Writes the module as an ONNX file (<see cref="OnnxExporter"/>).</summary>
        /// <param name="module">A module whose <c>state_dict</c> has the model's keys and shapes.</param>
        /// <param name="model">The analysed model the module was built from.</param>
        /// <param name="path">The .onnx file to write (replaced if present).</param>
        /// <param name="options">Opset and names; null for the defaults.</param>
        /// <exception cref="ExportException">See <see cref="OnnxExporter.Write(string, ModelInfo, IReadOnlyDictionary{string, StateTensor}, OnnxExportOptions?)"/>.</exception>
        /// <exception cref="IOException">The file cannot be written.</exception>
        public static void WriteOnnx(torch.nn.Module module, ModelInfo model, string path, OnnxExportOptions? options = null) =>
            OnnxExporter.Write(path, model, StateTensors(module), options);

        /// <summary>Writes the model as a PyTorch module (<see cref="PyTorchExporter"/>); the module
        /// supplies fixed buffers (LeNet-5's RBF codes) that the Python source carries.</summary>
        /// <exception cref="ExportException">See <see cref="PyTorchExporter.Write"/>.</exception>
        /// <exception cref="IOException">The file cannot be written.</exception>
        public static void WritePyTorch(torch.nn.Module module, ModelInfo model, string path) =>
            File.WriteAllText(path, PyTorchExporter.Write(model, StateTensors(module)));
    }
}
