using System;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Runtime
{
    /// <summary>What building and running a model in TorchSharp will take, in bytes, estimated
    /// from the Dsl's analysis before anything is allocated. <see cref="Total"/> is what is
    /// compared with the memory available.</summary>
    public sealed record MemoryNeed(long ParameterBytes, long BufferBytes, long ActivationBytes, long TrainingBytes)
    {
        public long Total => checked(ParameterBytes + BufferBytes + ActivationBytes + TrainingBytes);
    }

    /// <summary>Estimates a model's memory and refuses, with a message that says how much, what
    /// would not fit: every command that allocates a model (verify, train, test, transfer) asks
    /// here first, so that a model too large for the machine is one clear error instead of
    /// libtorch's allocation failure (or the machine swapping) halfway through.</summary>
    public static class ModelMemory
    {
        /// <summary>The estimate for <paramref name="batch"/> samples at float32 (each tensor at its
        /// own element type: an int64 counter is 8 bytes). Activations: every layer's output kept
        /// at once (as autograd keeps them for the backward pass, and as <c>cnn verify</c> keeps
        /// them to compare each), twice when training (their gradients). Training adds, per
        /// parameter, its gradient and Adam's two moments.</summary>
        /// <exception cref="OverflowException">A figure does not fit in 64 bits (no machine has that much).</exception>
        public static MemoryNeed Estimate(ModelInfo model, long batch, bool training)
        {
            const int floatBytes = 4;
            var tensors = model.Layers.SelectMany(l => l.Tensors).ToList();
            var parameters = tensors.Where(t => t.Role == TensorRole.Parameter).Sum(t => t.Bytes(floatBytes));
            var buffers = tensors.Where(t => t.Role == TensorRole.Buffer).Sum(t => t.Bytes(floatBytes));
            var outputs = model.Layers.Aggregate(model.Input.Elements, (sum, l) => checked(sum + l.Output.Elements));
            var activations = checked(outputs * batch * floatBytes * (training ? 2 : 1));
            return new MemoryNeed(parameters, buffers, activations, training ? checked(3 * parameters) : 0);
        }

        /// <summary>Bytes the system can give a new allocation without swapping: Linux's
        /// MemAvailable, or else the memory .NET sees as the machine's (a container's limit
        /// included).</summary>
        public static long AvailableBytes()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var kilobytes = line.Substring("MemAvailable:".Length).Trim().Split(' ')[0];
                    if (long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return checked(value * 1024);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OverflowException)
            {
                // Not Linux, or not readable: the runtime's own figure below.
            }

            return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        }

        /// <summary>Null when the model fits in the memory available; otherwise the message to
        /// print: "model 'M' needs about 94.5 GB to build and run (parameters 85.9 GB, ...); 20.1 GB
        /// are available". <paramref name="purpose"/> says what for: "build and run one sample".</summary>
        public static string? Refusal(ModelInfo model, long batch, bool training, string purpose)
        {
            var available = AvailableBytes();
            MemoryNeed need;
            try
            {
                need = Estimate(model, batch, training);
                if (need.Total <= available) return null;
            }
            catch (OverflowException)
            {
                return $"model '{model.Name}' needs more than 9.2 EB of memory to {purpose} (its figures pass 64 bits); {Size(available)} are available";
            }

            var parts = $"parameters {Size(need.ParameterBytes)}, buffers {Size(need.BufferBytes)}, activations {Size(need.ActivationBytes)}"
                + (training ? $", gradients and optimizer state {Size(need.TrainingBytes)}" : "");
            return $"model '{model.Name}' needs about {Size(need.Total)} of memory to {purpose} ({parts}); {Size(available)} are available";
        }

        /// <summary>Bytes in decimal units, three significant figures: "85.9 GB", "512 kB".</summary>
        public static string Size(long bytes)
        {
            string[] units = { "bytes", "kB", "MB", "GB", "TB", "PB", "EB" };
            double value = bytes;
            var unit = 0;
            while (value >= 1000 && unit < units.Length - 1)
            {
                value /= 1000;
                unit++;
            }

            var format = unit == 0 || value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00";
            return value.ToString(format, CultureInfo.InvariantCulture) + " " + units[unit];
        }
    }
}
