using System;
using System.Runtime.InteropServices;
using TorchSharp;

namespace CnnDsl.Runtime.Convolution
{
    /// <summary>
    /// libtorch's switch for oneDNN (<c>at::globalContext().setUserEnabledMkldnn</c>, what
    /// <c>torch.backends.mkldnn.enabled</c> sets in Python), which TorchSharp 0.107 does not expose.
    /// Off, float32 convolutions on the CPU take libtorch's own path (im2col and a matrix product)
    /// instead of oneDNN's. The switch is read at every call, so it can be changed at any time.
    /// </summary>
    public static class OneDnn
    {
        private const string GlobalContext = "_ZN2at13globalContextEv";
        private const string SetEnabled = "_ZN2at7Context20setUserEnabledMkldnnEb";
        private const string GetEnabled = "_ZNK2at7Context17userEnabledMkldnnEv";

        private static readonly Lazy<Entry> Entries = new Lazy<Entry>(Resolve);

        /// <summary>Whether libtorch may run convolutions through oneDNN (true when libtorch starts).
        /// Loads libtorch on first use.</summary>
        /// <exception cref="TorchUnavailableException">libtorch is not there or lacks the switch.</exception>
        public static bool Enabled
        {
            get
            {
                Entry entry = Entries.Value;
                return entry.Get(entry.Context) != 0;
            }

            set
            {
                Entry entry = Entries.Value;
                entry.Set(entry.Context, value ? (byte)1 : (byte)0);
            }
        }

        private static Entry Resolve()
        {
            using (torch.Tensor load = torch.zeros(1))
            {
            }

            string path = LibTorchCpu.Path();
            IntPtr library = NativeLibrary.Load(path);
            IntPtr Export(string name) => NativeLibrary.TryGetExport(library, name, out IntPtr address)
                ? address
                : throw new TorchUnavailableException(
                    $"{path} does not export {name}, which CnnDsl uses to switch oneDNN off; this libtorch is not the 2.10.0 build CnnDsl was checked with.",
                    new EntryPointNotFoundException(name));

            var globalContext = Marshal.GetDelegateForFunctionPointer<ContextGetter>(Export(GlobalContext));
            return new Entry(
                globalContext(),
                Marshal.GetDelegateForFunctionPointer<FlagSetter>(Export(SetEnabled)),
                Marshal.GetDelegateForFunctionPointer<FlagGetter>(Export(GetEnabled)));
        }

        // at::Context& at::globalContext(); the member functions take the context as their first
        // argument (the Itanium C++ ABI's this), and bool as one byte.
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr ContextGetter();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate void FlagSetter(IntPtr context, byte value);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate byte FlagGetter(IntPtr context);

        private sealed class Entry
        {
            public Entry(IntPtr context, FlagSetter set, FlagGetter get)
            {
                Context = context;
                Set = set;
                Get = get;
            }

            public IntPtr Context { get; }

            public FlagSetter Set { get; }

            public FlagGetter Get { get; }
        }
    }
}
