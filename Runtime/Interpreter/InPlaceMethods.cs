using System;
using System.Collections.Concurrent;
using System.Reflection;
using TorchSharp;

namespace CnnDsl.Runtime.Interpreter
{
    /// <summary>Calls the in-place tensor method a layer names (<c>relu_</c>, from
    /// <see cref="Dsl.Layers.LayerSpec.InPlace"/>), as the generated forward prints it.</summary>
    internal static class InPlaceMethods
    {
        private static readonly ConcurrentDictionary<string, Func<torch.Tensor, torch.Tensor>> Methods = new(StringComparer.Ordinal);

        public static void Apply(string method, torch.Tensor x) => Methods.GetOrAdd(method, Find)(x);

        private static Func<torch.Tensor, torch.Tensor> Find(string name)
        {
            var method = typeof(torch.Tensor).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null)
                ?? throw new InvalidOperationException($"TorchSharp's Tensor has no parameterless method {name}(), which a layer names as its in-place form");
            return (Func<torch.Tensor, torch.Tensor>)method.CreateDelegate(typeof(Func<torch.Tensor, torch.Tensor>));
        }
    }
}
