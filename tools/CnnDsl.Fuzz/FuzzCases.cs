using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Semantics;

namespace CnnDsl.Fuzz;

/// <summary>One fuzz input: a .cnn text, or raw bytes (read as a file from disk would be).</summary>
public sealed record FuzzCase(long Index, ulong Seed, string Kind, string? Text, byte[]? Bytes)
{
    public int Length => Text?.Length ?? Bytes!.Length;
}

/// <summary>A small, fast, seedable generator (SplitMix64), the same on every platform and .NET
/// version, so a seed names the same case everywhere.</summary>
public sealed class FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed) => _state = seed;

    public static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 to <paramref name="max"/> - 1.</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextULong() % (ulong)max);

    public int Next(int min, int max) => min + Next(max - min);

    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}

/// <summary>Makes fuzz cases and checks what the compiler does with them. Case <c>i</c> of a
/// run with seed <c>s</c> depends only on (s, i) and the corpus, so any case can be replayed
/// alone. Kinds: mutations of the shipped architectures, random token streams, random programs
/// from a small grammar (deep in the semantics: shapes, merges, blocks), raw bytes (invalid
/// UTF-8), and pathological shapes (deep nesting, long chains, huge counts).</summary>
public sealed class FuzzCases
{
    private readonly IReadOnlyList<(string Name, string Text)> _corpus;

    public FuzzCases(IReadOnlyList<(string Name, string Text)> corpus)
    {
        if (corpus.Count == 0) throw new ArgumentException("the corpus is empty", nameof(corpus));
        _corpus = corpus;
    }

    public static ulong CaseSeed(ulong runSeed, long index) => FuzzRandom.Mix(FuzzRandom.Mix(runSeed) ^ (ulong)index);

    public FuzzCase Make(ulong runSeed, long index) => MakeFromSeed(index, CaseSeed(runSeed, index));

    public FuzzCase MakeFromSeed(long index, ulong seed)
    {
        var random = new FuzzRandom(seed);
        var roll = random.Next(100);
        return roll switch
        {
            < 45 => new FuzzCase(index, seed, "mutation", Mutate(random), null),
            < 65 => new FuzzCase(index, seed, "tokens", Tokens(random), null),
            < 85 => new FuzzCase(index, seed, "program", Program(random), null),
            < 95 => new FuzzCase(index, seed, "bytes", null, Bytes(random)),
            _ => new FuzzCase(index, seed, "pathological", Pathological(random), null),
        };
    }

    // ---- Mutations of the shipped files ---------------------------------------------------

    private static readonly string Alphabet =
        "()[]{},:.->=+*/%<!#\"x0123456789 \n\t\r abcdefilmnoprstuvw_';$@&|^~?\\`\0\u00e9\u00a0\uFFFD\u200B\uD800\uDC00\u0085\u2028";

    private static readonly string[] InterestingNumbers =
    {
        "0", "1", "2", "3", "7", "64", "1000", "99999", "100001", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "99999999999999999999999", "0.5", "1e-4", "1e308", "1e999",
    };

    private string Mutate(FuzzRandom random)
    {
        var (_, original) = random.Pick(_corpus);
        var text = new StringBuilder(original);
        for (var edits = random.Next(1, 5); edits > 0 && text.Length > 0; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(12))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 9), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 21), text.Length - at)));
                    break;
                case 2:
                case 3:
                    text[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 4:
                    text.Insert(at, " " + random.Pick(Vocabulary) + " ");
                    break;
                case 5:
                    ReplaceNumber(text, random);
                    break;
                case 6:
                    EditLines(text, random);
                    break;
                case 7:
                    ReplaceName(text, random);
                    break;
                case 8:
                    text.Length = at; // truncated
                    break;
                case 9:
                    // Join or split: remove a line break, or add one inside a line.
                    var newline = original.IndexOf('\n', at % Math.Max(1, original.Length));
                    if (newline >= 0 && newline < text.Length) text.Remove(newline, 1);
                    else text.Insert(at, "\n");
                    break;
                case 10:
                    text.Insert(at, random.Chance(50) ? "(" : "[");
                    break;
                default:
                    text.Insert(at, random.Pick(new[] { "->", ",", ":", "=", "if", "else", "{", "}", "\"", "#" }));
                    break;
            }
        }

        return text.ToString();
    }

    private static void ReplaceNumber(StringBuilder text, FuzzRandom random)
    {
        var s = text.ToString();
        var starts = new List<int>();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsDigit(s[i]) && (i == 0 || !char.IsLetterOrDigit(s[i - 1]) && s[i - 1] != '_')) starts.Add(i);
        }

        if (starts.Count == 0) return;
        var start = random.Pick(starts);
        var end = start;
        while (end < s.Length && char.IsDigit(s[end])) end++;
        text.Remove(start, end - start).Insert(start, random.Pick(InterestingNumbers));
    }

    private static void EditLines(StringBuilder text, FuzzRandom random)
    {
        var lines = text.ToString().Split('\n').ToList();
        if (lines.Count < 2) return;
        var a = random.Next(lines.Count);
        var b = random.Next(lines.Count);
        switch (random.Next(3))
        {
            case 0: (lines[a], lines[b]) = (lines[b], lines[a]); break;
            case 1: lines.RemoveAt(a); break;
            default: lines.Insert(a, lines[b]); break;
        }

        text.Clear().Append(string.Join("\n", lines));
    }

    private static void ReplaceName(StringBuilder text, FuzzRandom random)
    {
        var s = text.ToString();
        var names = new List<(int Start, int Length)>();
        for (var i = 0; i < s.Length; i++)
        {
            if ((char.IsLetter(s[i]) || s[i] == '_') && (i == 0 || !char.IsLetterOrDigit(s[i - 1]) && s[i - 1] != '_'))
            {
                var end = i;
                while (end < s.Length && (char.IsLetterOrDigit(s[end]) || s[end] == '_')) end++;
                names.Add((i, end - i));
                i = end;
            }
        }

        if (names.Count == 0) return;
        var (start, length) = random.Pick(names);
        var other = random.Pick(names);
        var replacement = random.Next(3) switch
        {
            0 => s.Substring(other.Start, other.Length),
            1 => random.Pick(LayerNames),
            _ => Misspell(s.Substring(start, length), random),
        };
        text.Remove(start, length).Insert(start, replacement);
    }

    private static string Misspell(string name, FuzzRandom random)
    {
        if (name.Length < 2) return name + "x";
        var chars = name.ToCharArray();
        var i = random.Next(chars.Length - 1);
        (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
        return new string(chars);
    }

    // ---- Token streams --------------------------------------------------------------------

    private static readonly string[] LayerNames = LayerCatalog.Layers.Keys.Concat(new[] { "residual", "dense", "gate", "aux", "len", "range", "type" }).ToArray();

    private static readonly string[] Vocabulary = new[]
        {
            "let", "block", "network", "model", "input", "import", "namespace", "for", "in", "if", "else", "repeat",
            "concat", "split", "add", "residual", "dense", "gate", "aux", "and", "or", "not", "true", "false",
            "(", ")", "[", "]", "{", "}", ",", ":", ".", "->", "==", "!=", "<=", ">=", "<", ">", "=", "+", "-", "*", "/", "%",
            "a", "b", "x", "M", "N", "cfg", "c", "i", "n", "bn", "stride", "pad", "kernel", "out", "shortcut", "projection", "same",
            "3x32x32", "1x8x8", "0x8x8", "3x0x4", "99999999999x2x2", "64x56x56", "1x1x1",
            "\"M\"", "\"conv{i}\"", "\"{\"", "\"a{}\"", "\"{i + 1}\"", "\"\"",
        }
        .Concat(LayerNames)
        .Concat(InterestingNumbers)
        .ToArray();

    private static string Tokens(FuzzRandom random)
    {
        var text = new StringBuilder();
        if (random.Chance(50)) text.Append("model M input ").Append(random.Pick(new[] { "3x32x32", "1x28x28", "16x8x8" })).Append(" = ");
        for (var count = random.Next(1, 150); count > 0; count--)
        {
            text.Append(random.Pick(Vocabulary));
            text.Append(random.Next(10) switch { 0 => "\n", 1 => "", _ => " " });
        }

        return text.ToString();
    }

    // ---- Programs from a small grammar ----------------------------------------------------

    private string Program(FuzzRandom random)
    {
        var text = new StringBuilder();
        var blocks = new List<string>();
        for (var b = random.Next(0, 3); b > 0; b--)
        {
            var name = "b" + blocks.Count.ToString(CultureInfo.InvariantCulture);
            var withParameter = random.Chance(50);
            text.Append("block ").Append(name).Append(withParameter ? "(c, s = 1)" : "").Append(" =\n  ")
                .Append(Layers(random, 0, blocks, withParameter ? "c" : null)).Append('\n');
            blocks.Add(withParameter ? name + "(" : name);
        }

        if (random.Chance(30)) text.Append("let widths = [").Append(string.Join(", ", Enumerable.Range(0, random.Next(1, 5)).Select(_ => Small(random)))).Append("]\n");
        for (var m = random.Next(1, 3); m > 0; m--)
        {
            text.Append("model M").Append(m).Append(" input ")
                .Append(random.Next(1, 33)).Append('x').Append(random.Next(1, 65)).Append('x').Append(random.Next(1, 65))
                .Append(" =\n  ").Append(Layers(random, 0, blocks, null));
            if (random.Chance(40)) text.Append("\n  -> flatten -> linear(").Append(random.Next(1, 20)).Append(')');
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Small(FuzzRandom random) =>
        random.Chance(90) ? random.Next(0, 70).ToString(CultureInfo.InvariantCulture) : random.Pick(InterestingNumbers);

    private static string Layers(FuzzRandom random, int depth, List<string> blocks, string? channels)
    {
        var items = new List<string>();
        for (var n = random.Next(1, depth == 0 ? 6 : 4); n > 0; n--) items.Add(Layer(random, depth, blocks, channels));
        return string.Join(" -> ", items);
    }

    private static string Layer(FuzzRandom random, int depth, List<string> blocks, string? channels)
    {
        var c = channels ?? Small(random);
        var roll = depth >= 3 ? random.Next(8) : random.Next(16);
        switch (roll)
        {
            case 0: return $"conv({c}, {random.Next(1, 6)}{Option(random, "stride", "1", "2")}{Option(random, "pad", "0", "1", "2", "same")})";
            case 1: return $"maxpool({random.Next(1, 4)}{Option(random, "stride", "1", "2")}{Option(random, "ceil", "true")})";
            case 2: return random.Pick(new[] { "relu", "sigmoid", "tanh", "flatten", "identity", "global_avgpool", "batchnorm", "dropout(0.5)" });
            case 3: return $"avgpool({random.Next(1, 4)})";
            case 4: return $"linear({Small(random)})";
            case 5: return $"conv_transpose({c}, {random.Next(1, 4)}{Option(random, "stride", "2")})";
            case 6: return blocks.Count == 0 ? "relu" : random.Pick(blocks) is var block && block.EndsWith("(") ? block + c + ")" : blocks[0].TrimEnd('(');
            case 7: return $"adaptive_avgpool({random.Next(1, 8)})";
            case 8: return $"concat [{Layers(random, depth + 1, blocks, channels)}, {Layers(random, depth + 1, blocks, channels)}]";
            case 9: return $"residual({Layers(random, depth + 1, blocks, channels)}{Option(random, "shortcut", "projection", "identity", "conv(" + c + ", 1)")})";
            case 10: return $"dense({Layers(random, depth + 1, blocks, channels)})";
            case 11: return $"aux({Layers(random, depth + 1, blocks, channels)} -> flatten -> linear(3))";
            case 12: return $"repeat {random.Next(0, 4)} {{ {Layers(random, depth + 1, blocks, channels)} }}";
            case 13: return $"for w in [{Small(random)}, {Small(random)}] {{ conv(w, 3, pad: 1) -> relu }}";
            case 14: return $"if {random.Pick(new[] { "true", "false", "1 > 2", "len([1]) == 1" })} {{ {Layers(random, depth + 1, blocks, channels)} }} else {{ relu }}";
            default: return $"l{random.Next(3)}: {Layer(random, depth + 1, blocks, channels)}";
        }
    }

    private static string Option(FuzzRandom random, string name, params string[] values) =>
        random.Chance(40) ? $", {name}: {random.Pick(values)}" : "";

    // ---- Bytes ----------------------------------------------------------------------------

    private byte[] Bytes(FuzzRandom random)
    {
        if (random.Chance(40))
        {
            var garbage = new byte[random.Next(0, 4097)];
            for (var i = 0; i < garbage.Length; i++) garbage[i] = (byte)random.Next(256);
            return garbage;
        }

        var bytes = Encoding.UTF8.GetBytes(random.Pick(_corpus).Text).ToList();
        if (random.Chance(20)) bytes.InsertRange(0, random.Chance(50) ? new byte[] { 0xEF, 0xBB, 0xBF } : new byte[] { 0xFF, 0xFE });
        for (var edits = random.Next(1, 6); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(0x80, 0x100)); break;
                case 2: bytes.InsertRange(at, new byte[] { 0xE2, 0x82 }); break; // a cut 3-byte sequence
                default: bytes.InsertRange(at, new byte[] { 0xC3, 0xA9 }); break; // é, valid
            }
        }

        return bytes.ToArray();
    }

    // ---- Pathological shapes --------------------------------------------------------------

    /// <summary>Far beyond any real file, yet each case within the time limit: nesting up to
    /// 100,000 levels (cut off after 32, before parsing), chains, lists and repeats up to 3,000
    /// elements (each costs the parser some microseconds), counts far over the limits (the unit
    /// tests cover 100,000-element inputs and a file over the size limit with their own bounds).</summary>
    private static string Pathological(FuzzRandom random)
    {
        var deep = random.Pick(new[] { 10, 100, 1_000, 10_000, 100_000 });
        var size = random.Pick(new[] { 10, 100, 1_000, 3_000 });
        switch (random.Next(8))
        {
            case 0:
            {
                var text = new StringBuilder("model M input 1x8x8 = ");
                var closers = new Stack<char>();
                for (var i = 0; i < deep; i++)
                {
                    var kind = random.Next(3);
                    text.Append("([{"[kind]);
                    closers.Push(")]}"[kind]);
                }

                text.Append("relu");
                while (closers.Count > 0) text.Append(closers.Pop());
                return text.ToString();
            }

            case 1: return "let x = " + string.Join(random.Pick(new[] { " + ", " * ", " and ", " -> " }), Enumerable.Repeat("1", size)) + "\nmodel M input 1x8x8 = relu";
            case 2: return string.Join("\n", Enumerable.Range(0, size).Select(i => $"block b{i} = b{i + 1}")) + "\nmodel M input 1x8x8 = b0";
            // Up to 3,000 layers, or far over the 20,000-layer limit (a valid model of 10,000
            // layers is no limit case, and C# generation of it alone takes most of 200 ms).
            case 3: return $"model M input 1x8x8 = repeat {random.Pick(new[] { size, size, 1_000_000 })} {{ conv(1, 1) }}";
            case 4: return $"block b(n) = if n > 0 {{ b(n - 1) -> b(n - 1) }} else {{ relu if false }}\nmodel M input 1x8x8 = relu -> b({random.Next(10, 70)})";
            case 5: return "model M input 4000000000x4000000000x4000000000 = flatten -> linear(4000000000)";
            case 6: return "let l = [" + string.Join(", ", Enumerable.Repeat("1", size)) + "]\nmodel M input 1x8x8 = conv(len(l), 1)";
            default: return new string(Enumerable.Range(0, deep).Select(_ => (char)random.Next(0, 0x3000)).ToArray());
        }
    }
}

/// <summary>What every case must satisfy, whatever its input.</summary>
public static class FuzzChecks
{
    private static readonly HashSet<string> KnownCodes = new(DiagnosticCodes.All.Select(d => d.Code));

    /// <summary>Compiles the case, renders every diagnostic and checks the invariants; returns
    /// the result, or throws <see cref="FuzzFailure"/> naming what broke. An exception from the
    /// compiler itself propagates: the harness records it as the worst failure there is.</summary>
    public static CompilationResult Run(FuzzCase fuzzCase)
    {
        var result = fuzzCase.Text is not null
            ? CnnCompiler.Compile("fuzz.cnn", fuzzCase.Text)
            : CnnCompiler.Compile("fuzz.cnn", fuzzCase.Bytes!);
        var length = result.Source.Text.Length;
        if (result.Diagnostics.Count > DiagnosticBag.MaxDiagnostics + 1) Fail($"{result.Diagnostics.Count} diagnostics, more than the cap");
        foreach (var diagnostic in result.Diagnostics)
        {
            if (!KnownCodes.Contains(diagnostic.Code)) Fail($"{diagnostic.Code} is not in the catalogue");
            if (string.IsNullOrWhiteSpace(diagnostic.Message)) Fail($"{diagnostic.Code} has no message");
            CheckLocation(diagnostic.Location, length, diagnostic.Code);
            foreach (var related in diagnostic.Related) CheckLocation(related.Location, length, diagnostic.Code + " (related)");
            var rendered = DiagnosticRenderer.Render(diagnostic);
            if (rendered.Any(c => char.IsControl(c) && c != '\n')) Fail($"the rendering of {diagnostic.Code} contains a control character");
            if (rendered.Length > 20_000) Fail($"the rendering of {diagnostic.Code} is {rendered.Length} characters long");
        }

        if (result.HasErrors != result.Diagnostics.Any(d => d.IsError)) Fail("HasErrors disagrees with the diagnostics");
        if (result.Models.Select(m => m.Name).Distinct().Count() != result.Models.Count) Fail("two models with one name");
        return result;
    }

    private static void CheckLocation(Dsl.Text.SourceLocation location, int length, string code)
    {
        var range = location.Range;
        if (range.Start < 0 || range.End < range.Start || range.End > length)
        {
            Fail($"{code} has range {range.Start}..{range.End} outside the text of {length} characters");
        }

        if (location.StartLine < 0 || location.EndLine < location.StartLine || location.StartColumn < 0 || location.EndColumn < 0)
        {
            Fail($"{code} has a bad line/column ({location.StartLine},{location.StartColumn})-({location.EndLine},{location.EndColumn})");
        }
    }

    private static void Fail(string message) => throw new FuzzFailure(message);
}

/// <summary>A broken invariant (not a crash of the compiler).</summary>
public sealed class FuzzFailure : Exception
{
    public FuzzFailure(string message) : base(message)
    {
    }
}
