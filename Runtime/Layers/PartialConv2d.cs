using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// A 2-D convolution in which each output map sees only some of the input maps, as layer C3
    /// of LeCun et al. 1998 (LeNet-5) does under the paper's Table I.
    /// </summary>
    /// <remarks>
    /// <para>Tensors (<c>state_dict()</c> keys): <c>weight</c> of shape [C, kH, kW], where C is the
    /// total number of connections (the sum of |connections[j]|), packed in the order output map
    /// j = 0, 1, ..., and within map j the input maps in the order listed; <c>bias</c> of shape
    /// [outChannels] when <c>bias</c> is true. Nothing else is registered: the index that places the
    /// packed kernels is kept in a private field, so it is not in <c>state_dict()</c>.</para>
    /// <para>Forward: the packed kernels are copied (<c>index_copy</c> into zeros) to a full
    /// [outChannels, inChannels, kH, kW] weight, which is then used by an ordinary
    /// <c>conv2d</c>. A connection that is not in the table therefore has an effective weight of
    /// exactly 0 at all times, and gradients reach only the packed weight.</para>
    /// <para>Initialisation follows the paper (Appendix C): every trainable parameter of output map
    /// j, its kernels and its bias alike, is drawn from uniform(-2.4/F, 2.4/F), where
    /// F = |connections[j]| * kH * kW is the map's fan-in. Draws use TorchSharp's global generator.</para>
    /// </remarks>
    public sealed class PartialConv2d : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        // The field names equal the registered names: TorchSharp's Module.to(...) replaces the
        // parameters and then updates the fields whose names match.
        private Parameter weight;
        private Parameter? bias;

        private readonly long inChannels;
        private readonly long outChannels;
        private readonly long[] kernel;
        private readonly long[] stride;
        private readonly long[] padding;
        private readonly IReadOnlyList<IReadOnlyList<int>> connections;

        // Flat positions j * inChannels + i of the packed kernels in the full weight viewed as
        // [outChannels * inChannels, kH, kW]. Created on the CPU; a copy is cached for the device
        // the weight is on. Neither is registered, so neither is in state_dict().
        private readonly torch.Tensor cpuIndex;
        private torch.Tensor? deviceIndex;

        /// <summary>Creates the layer.</summary>
        /// <param name="inChannels">Number of input maps.</param>
        /// <param name="outChannels">Number of output maps.</param>
        /// <param name="kernel">Kernel height and width.</param>
        /// <param name="stride">Stride along height and width.</param>
        /// <param name="padding">Zero padding along height and width.</param>
        /// <param name="connections"><c>connections[j]</c> lists the input maps output map j sees:
        /// exactly <paramref name="outChannels"/> lists, each non-empty, without duplicates, with
        /// indices in [0, inChannels).</param>
        /// <param name="bias">Whether each output map has a trainable bias.</param>
        /// <exception cref="ArgumentException">A size is out of range or the table is invalid.</exception>
        public PartialConv2d(
            long inChannels,
            long outChannels,
            (long H, long W) kernel,
            (long H, long W) stride,
            (long H, long W) padding,
            IReadOnlyList<IReadOnlyList<int>> connections,
            bool bias = true)
            : base(nameof(PartialConv2d))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1L);
            ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1L);
            if (kernel.H < 1 || kernel.W < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "The kernel must be at least 1x1.");
            }

            if (stride.H < 1 || stride.W < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be at least 1.");
            }

            if (padding.H < 0 || padding.W < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(padding), padding, "The padding cannot be negative.");
            }

            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernel = new[] { kernel.H, kernel.W };
            this.stride = new[] { stride.H, stride.W };
            this.padding = new[] { padding.H, padding.W };
            this.connections = Validate(inChannels, outChannels, connections);

            var flat = new List<long>();
            var bounds = new List<float>();
            var biasBounds = new float[outChannels];
            for (int j = 0; j < this.connections.Count; j++)
            {
                IReadOnlyList<int> seen = this.connections[j];
                float bound = (float)(2.4 / (seen.Count * kernel.H * kernel.W));
                biasBounds[j] = bound;
                foreach (int i in seen)
                {
                    flat.Add(j * inChannels + i);
                    bounds.Add(bound);
                }
            }

            cpuIndex = torch.tensor(flat.ToArray(), dtype: torch.int64).DetachFromDisposeScope();

            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
            {
                long count = flat.Count;
                var weightBound = torch.tensor(bounds.ToArray()).reshape(count, 1, 1);
                var w = torch.rand(count, kernel.H, kernel.W).mul_(2).sub_(1).mul_(weightBound);
                weight = new Parameter(w.DetachFromDisposeScope(), requires_grad: true);
                register_parameter(nameof(weight), weight);

                if (bias)
                {
                    var b = torch.rand(outChannels).mul_(2).sub_(1).mul_(torch.tensor(biasBounds));
                    this.bias = new Parameter(b.DetachFromDisposeScope(), requires_grad: true);
                    register_parameter(nameof(this.bias), this.bias);
                }
            }
        }

        /// <summary>The connection table: element j lists the input maps output map j sees, in
        /// the order their kernels are packed in <c>weight</c>.</summary>
        public IReadOnlyList<IReadOnlyList<int>> Connections => connections;

        /// <summary>Number of input maps.</summary>
        public long InChannels => inChannels;

        /// <summary>Number of output maps.</summary>
        public long OutChannels => outChannels;

        /// <summary>
        /// The connection table of C3 in LeCun et al. 1998, Table I, for 6 input maps (S2) and 16
        /// output maps: maps 0-5 see three contiguous S2 maps, 6-11 four contiguous ones, 12-14
        /// four discontinuous ones and 15 all six.
        /// </summary>
        public static IReadOnlyList<IReadOnlyList<int>> LeNet5C3Connections { get; } = Array.AsReadOnly(new IReadOnlyList<int>[]
        {
            Array.AsReadOnly(new[] { 0, 1, 2 }),
            Array.AsReadOnly(new[] { 1, 2, 3 }),
            Array.AsReadOnly(new[] { 2, 3, 4 }),
            Array.AsReadOnly(new[] { 3, 4, 5 }),
            Array.AsReadOnly(new[] { 4, 5, 0 }),
            Array.AsReadOnly(new[] { 5, 0, 1 }),
            Array.AsReadOnly(new[] { 0, 1, 2, 3 }),
            Array.AsReadOnly(new[] { 1, 2, 3, 4 }),
            Array.AsReadOnly(new[] { 2, 3, 4, 5 }),
            Array.AsReadOnly(new[] { 3, 4, 5, 0 }),
            Array.AsReadOnly(new[] { 4, 5, 0, 1 }),
            Array.AsReadOnly(new[] { 5, 0, 1, 2 }),
            Array.AsReadOnly(new[] { 0, 1, 3, 4 }),
            Array.AsReadOnly(new[] { 1, 2, 4, 5 }),
            Array.AsReadOnly(new[] { 0, 2, 3, 5 }),
            Array.AsReadOnly(new[] { 0, 1, 2, 3, 4, 5 }),
        });

        /// <summary>
        /// The full weight [outChannels, inChannels, kH, kW]: the packed kernels in their places,
        /// exact zeros for the connections the table leaves out. It is part of the autograd graph
        /// (gradients flow back to <c>weight</c>); the caller owns the returned tensor.
        /// </summary>
        public torch.Tensor EffectiveWeight()
        {
            torch.Tensor index = IndexFor(weight.device);
            using var zeros = torch.zeros(new[] { outChannels * inChannels, kernel[0], kernel[1] }, dtype: weight.dtype, device: weight.device);
            using var placed = zeros.index_copy(0, index, weight);
            return placed.reshape(outChannels, inChannels, kernel[0], kernel[1]);
        }

        /// <inheritdoc/>
        public override torch.Tensor forward(torch.Tensor input)
        {
            using var full = EffectiveWeight();
            return torch.nn.functional.conv2d(input, full, bias, stride, padding);
        }

        /// <summary>Does nothing: every tensor of this layer is registered explicitly in the
        /// constructor. A parent's <c>RegisterComponents()</c> calls this on its children, and the
        /// default would register private tensor fields (the placement index) as buffers.</summary>
        protected override void RegisterComponents()
        {
        }

        /// <inheritdoc/>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                deviceIndex?.Dispose();
                deviceIndex = null;
                cpuIndex.Dispose();
            }

            base.Dispose(disposing);
        }

        private torch.Tensor IndexFor(torch.Device device)
        {
            if (device.type == DeviceType.CPU)
            {
                return cpuIndex;
            }

            if (deviceIndex is null || deviceIndex.device.type != device.type || deviceIndex.device.index != device.index)
            {
                deviceIndex?.Dispose();
                deviceIndex = cpuIndex.to(device).DetachFromDisposeScope();
            }

            return deviceIndex;
        }

        private static IReadOnlyList<IReadOnlyList<int>> Validate(long inChannels, long outChannels, IReadOnlyList<IReadOnlyList<int>> connections)
        {
            ArgumentNullException.ThrowIfNull(connections);
            if (connections.Count != outChannels)
            {
                throw new ArgumentException(
                    $"The connection table has {connections.Count} rows but the layer has {outChannels} output maps; it needs one row per output map.",
                    nameof(connections));
            }

            var copy = new IReadOnlyList<int>[connections.Count];
            for (int j = 0; j < connections.Count; j++)
            {
                IReadOnlyList<int>? seen = connections[j];
                if (seen is null || seen.Count == 0)
                {
                    throw new ArgumentException($"Output map {j} sees no input map; every output map needs at least one.", nameof(connections));
                }

                var distinct = new HashSet<int>();
                var row = new int[seen.Count];
                for (int k = 0; k < seen.Count; k++)
                {
                    int i = seen[k];
                    if (i < 0 || i >= inChannels)
                    {
                        throw new ArgumentException(
                            $"Output map {j} lists input map {i}, outside [0, {inChannels}).", nameof(connections));
                    }

                    if (!distinct.Add(i))
                    {
                        throw new ArgumentException($"Output map {j} lists input map {i} twice.", nameof(connections));
                    }

                    row[k] = i;
                }

                copy[j] = Array.AsReadOnly(row);
            }

            return Array.AsReadOnly(copy);
        }
    }
}
