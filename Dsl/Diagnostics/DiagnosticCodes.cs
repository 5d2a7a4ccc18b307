using System.Collections.Generic;

namespace CnnDsl.Dsl.Diagnostics;

/// <summary>The catalogue of every diagnostic CnnDsl can report. Codes are stable: never
/// renumber one, retire it instead. docs/diagnostics.md documents each.</summary>
public static class DiagnosticCodes
{
    // Syntax
    public static readonly DiagnosticDescriptor SyntaxError = Error("CNN0001", "Syntax error");
    public static readonly DiagnosticDescriptor InvalidCharacter = Error("CNN0002", "Invalid character");
    public static readonly DiagnosticDescriptor NestingTooDeep = Error("CNN0003", "Nesting too deep");
    public static readonly DiagnosticDescriptor NumberOutOfRange = Error("CNN0004", "Number out of range");

    /// <summary>An error when any diagnostic left out is an error, otherwise a warning (see
    /// <see cref="TooManyWarnings"/>): a build must not fail because of warnings alone.</summary>
    public static readonly DiagnosticDescriptor TooManyDiagnostics = Error("CNN0005", "Too many diagnostics");
    public static readonly DiagnosticDescriptor InvalidUtf8 = Error("CNN0006", "File is not UTF-8");
    public static readonly DiagnosticDescriptor FileTooLarge = Error("CNN0007", "File too large");

    // Names and calls
    public static readonly DiagnosticDescriptor UnknownName = Error("CNN0010", "Unknown name");
    public static readonly DiagnosticDescriptor DuplicateDefinition = Error("CNN0011", "Duplicate definition");
    public static readonly DiagnosticDescriptor MissingArgument = Error("CNN0012", "Missing or extra argument");
    public static readonly DiagnosticDescriptor UnknownArgument = Error("CNN0013", "Unknown named argument");
    public static readonly DiagnosticDescriptor ArgumentType = Error("CNN0014", "Argument of the wrong type");
    public static readonly DiagnosticDescriptor DuplicateArgument = Error("CNN0015", "Argument given twice");
    public static readonly DiagnosticDescriptor TypeMismatch = Error("CNN0016", "Type mismatch");
    public static readonly DiagnosticDescriptor RecursionTooDeep = Error("CNN0017", "Recursion too deep");
    public static readonly DiagnosticDescriptor InvalidValue = Error("CNN0018", "Invalid value");
    public static readonly DiagnosticDescriptor ModelNeedsInput = Error("CNN0019", "Model has no input shape");
    public static readonly DiagnosticDescriptor DuplicateLayerName = Error("CNN0020", "Duplicate layer name");
    public static readonly DiagnosticDescriptor EmptyModel = Error("CNN0021", "Empty model");
    public static readonly DiagnosticDescriptor IndexOutOfRange = Error("CNN0022", "Index out of range");
    public static readonly DiagnosticDescriptor DivisionByZero = Error("CNN0023", "Division by zero");
    public static readonly DiagnosticDescriptor PositionalAfterNamed = Error("CNN0024", "Positional argument after a named one");
    public static readonly DiagnosticDescriptor EvaluationLimit = Error("CNN0025", "Evaluation limit reached");
    public static readonly DiagnosticDescriptor InputNotAvailable = Error("CNN0026", "Input shape not available");

    // Shapes and counts
    public static readonly DiagnosticDescriptor NonPositiveOutput = Error("CNN0030", "Output size not positive");
    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error("CNN0031", "Kernel larger than input");
    public static readonly DiagnosticDescriptor NeedsSpatialInput = Error("CNN0032", "Layer needs a CxHxW input");
    public static readonly DiagnosticDescriptor LinearNeedsFlatInput = Error("CNN0033", "Linear layer fed a CxHxW tensor");
    public static readonly DiagnosticDescriptor GroupsDoNotDivide = Error("CNN0034", "Groups do not divide channels");
    public static readonly DiagnosticDescriptor SamePaddingImpossible = Error("CNN0035", "'same' padding not possible");
    public static readonly DiagnosticDescriptor PoolPaddingTooLarge = Error("CNN0036", "Pool padding too large");
    public static readonly DiagnosticDescriptor CountOverflow = Error("CNN0037", "Count overflows 64 bits");
    public static readonly DiagnosticDescriptor ResidualShapeMismatch = Error("CNN0038", "Residual shapes disagree");
    public static readonly DiagnosticDescriptor BranchShapeMismatch = Error("CNN0039", "Branch shapes disagree");
    public static readonly DiagnosticDescriptor LayoutMismatch = Error("CNN0046", "Channels in the wrong place");
    public static readonly DiagnosticDescriptor ChunksDoNotDivide = Error("CNN0047", "Channels do not divide into chunks");

    // Warnings: never fail a build (the package's props keeps them out of TreatWarningsAsErrors).
    public static readonly DiagnosticDescriptor UnusedDeclaration = Warning("CNN0040", "Unused declaration");
    public static readonly DiagnosticDescriptor EmptyFile = Warning("CNN0041", "File declares nothing");
    public static readonly DiagnosticDescriptor ConstantUsedTwice = Warning("CNN0042", "Layer constant used twice");

    // Imports
    public static readonly DiagnosticDescriptor ImportFailed = Error("CNN0043", "Import failed");
    public static readonly DiagnosticDescriptor ImportCycle = Error("CNN0044", "Import cycle");
    public static readonly DiagnosticDescriptor ImportedFileHasErrors = Error("CNN0045", "Imported file has errors");

    /// <summary>CNN0005 when every diagnostic left out is a warning.</summary>
    public static DiagnosticDescriptor TooManyWarnings { get; } = TooManyDiagnostics with { Severity = Severity.Warning };

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        SyntaxError, InvalidCharacter, NestingTooDeep, NumberOutOfRange, TooManyDiagnostics, InvalidUtf8, FileTooLarge,
        UnknownName, DuplicateDefinition, MissingArgument, UnknownArgument, ArgumentType,
        DuplicateArgument, TypeMismatch, RecursionTooDeep, InvalidValue, ModelNeedsInput,
        DuplicateLayerName, EmptyModel, IndexOutOfRange, DivisionByZero, PositionalAfterNamed, EvaluationLimit, InputNotAvailable,
        NonPositiveOutput, KernelLargerThanInput, NeedsSpatialInput, LinearNeedsFlatInput,
        GroupsDoNotDivide, SamePaddingImpossible, PoolPaddingTooLarge, CountOverflow,
        ResidualShapeMismatch, BranchShapeMismatch, LayoutMismatch, ChunksDoNotDivide,
        UnusedDeclaration, EmptyFile, ConstantUsedTwice,
        ImportFailed, ImportCycle, ImportedFileHasErrors,
    };

    private static DiagnosticDescriptor Error(string code, string title) => new(code, Severity.Error, title);
    private static DiagnosticDescriptor Warning(string code, string title) => new(code, Severity.Warning, title);
}
