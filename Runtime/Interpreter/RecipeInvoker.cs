using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CnnDsl.Dsl.Layers;
using TorchSharp;

namespace CnnDsl.Runtime.Interpreter
{
    /// <summary>Builds the module a Dsl recipe describes by calling the same TorchSharp factory or
    /// Runtime constructor the generated code calls, matching arguments to parameters by name and
    /// position the way the C# compiler would.</summary>
    public static class RecipeInvoker
    {
        public static torch.nn.Module<torch.Tensor, torch.Tensor> Create(ModuleRecipe recipe)
        {
            IEnumerable<MethodBase> candidates = recipe.Source == ModuleSource.TorchSharp
                ? typeof(torch.nn).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == recipe.TypeName)
                : RuntimeType(recipe.TypeName).GetConstructors();

            foreach (var candidate in candidates)
            {
                var arguments = Bind(candidate.GetParameters(), recipe.Arguments);
                if (arguments is null) continue;
                var module = candidate is ConstructorInfo constructor
                    ? constructor.Invoke(arguments)
                    : candidate.Invoke(null, arguments);
                return (torch.nn.Module<torch.Tensor, torch.Tensor>)module!;
            }

            throw new InvalidOperationException(
                $"no {recipe.Source} overload of {recipe.TypeName} takes ({string.Join(", ", recipe.Arguments.Select(a => a.Name ?? "_"))})");
        }

        private static Type RuntimeType(string name) =>
            typeof(ModuleGroup).Assembly.GetType("CnnDsl.Runtime.Layers." + name, throwOnError: true)!;

        private static object?[]? Bind(ParameterInfo[] parameters, IReadOnlyList<RecipeArgument> arguments)
        {
            var values = new object?[parameters.Length];
            var bound = new bool[parameters.Length];
            var position = 0;
            foreach (var argument in arguments)
            {
                var index = argument.Name is null ? position++ : Array.FindIndex(parameters, p => p.Name == argument.Name);
                if (index < 0 || index >= parameters.Length || bound[index]) return null;
                if (!TryConvert(argument.Value, parameters[index].ParameterType, out var converted)) return null;
                values[index] = converted;
                bound[index] = true;
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                if (bound[i]) continue;
                if (!parameters[i].HasDefaultValue) return null;
                values[i] = parameters[i].DefaultValue;
            }

            return values;
        }

        private static bool TryConvert(object value, Type target, out object? converted)
        {
            var type = Nullable.GetUnderlyingType(target) ?? target;
            converted = value switch
            {
                long l when type == typeof(long) => l,
                double d when type == typeof(double) => d,
                bool b when type == typeof(bool) => b,
                Pair p when type == typeof(ValueTuple<long, long>) => (p.H, p.W),
                long[] l when type.IsAssignableFrom(typeof(long[])) => l,
                double[] d when type.IsAssignableFrom(typeof(double[])) => d,
                int[][] rows when type.IsAssignableFrom(typeof(int[][])) => rows,
                // A nested enum's full name has '+' where C# writes '.': TorchSharp.Modules.GELU+Approximate.
                EnumArgument e when type.IsEnum && type.FullName?.Replace('+', '.') == e.EnumType => Enum.Parse(type, e.Member),
                _ => null,
            };
            return converted is not null;
        }
    }
}
