using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DeepLanguageNetworks.Docs.Tests;

/// <summary>
/// Compiles a README's C# block as a user would paste it: the whole <c>Program.cs</c> of a new console app (top-level
/// statements, nullable on, the SDK's implicit usings), against the .NET reference assemblies, the assemblies of the
/// Dln packages the block names with its <c>using</c> directives (the core always) and their third-party dependencies.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>Namespace → the package assembly that brings it.</summary>
    public static IReadOnlyDictionary<string, string> PackageNamespaces { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DeepLanguageNetworks.LlamaSharp"] = "Dln.LlamaSharp",
        ["DeepLanguageNetworks.OpenAI"] = "Dln.OpenAI",
        ["DeepLanguageNetworks.Extensions.AI"] = "Dln.Extensions.AI",
        ["DeepLanguageNetworks.Plotting"] = "Dln.Plotting",
        ["DeepLanguageNetworks.Paper"] = "Dln.PaperTasks",
        ["DeepLanguageNetworks.Caching.Redis"] = "Dln.Caching.Redis",
    };

    // What `dotnet new console` gets from <ImplicitUsings>enable</ImplicitUsings>.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static readonly Lazy<IReadOnlyList<MetadataReference>> Framework = new(LoadFramework);
    private static readonly Lazy<IReadOnlyDictionary<string, MetadataReference>> Local = new(LoadLocal);

    /// <summary>The errors of compiling <paramref name="block"/>, each as <c>file:line: error CSxxxx: message</c>; empty when it compiles.</summary>
    public static IReadOnlyList<string> Errors(MarkdownCodeBlock block)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var program = CSharpSyntaxTree.ParseText(block.Code, parse, path: "Program.cs");
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "GlobalUsings.g.cs");
        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet",
            [program, usings],
            References(block.Code),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        return result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => Describe(block, d))
            .ToArray();
    }

    private static string Describe(MarkdownCodeBlock block, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var where = diagnostic.Location.SourceTree?.FilePath == "Program.cs"
            ? $"{block.File}:{block.Line + span.StartLinePosition.Line}"
            : block.File;
        return $"{where}: {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static IEnumerable<MetadataReference> References(string code)
    {
        var named = PackageNamespaces
            .Where(pair => code.Contains($"using {pair.Key};", StringComparison.Ordinal))
            .Select(pair => pair.Value)
            .Append("Dln")
            .ToHashSet(StringComparer.Ordinal);
        var local = Local.Value
            .Where(pair => !pair.Key.StartsWith("Dln", StringComparison.Ordinal) || named.Contains(pair.Key))
            .Select(pair => pair.Value);
        return Framework.Value.Concat(local);
    }

    // The reference pack of the running runtime's major version (what `dotnet build` compiles against); without the
    // SDK's packs, the runtime's own assemblies.
    private static IReadOnlyList<MetadataReference> LoadFramework()
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var major = Environment.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs, major + ".*")
                .Select(d => Path.Combine(d, "ref", "net" + major + ".0"))
                .Where(Directory.Exists)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        var directory = refDirectory ?? runtime;
        return Directory.GetFiles(directory, "*.dll").Where(IsManaged).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }

    // The Dln packages and their dependencies, as built next to these tests; not the test frameworks or the compiler,
    // and nothing the reference pack already has.
    private static IReadOnlyDictionary<string, MetadataReference> LoadLocal()
    {
        var framework = Framework.Value.Select(r => Path.GetFileNameWithoutExtension(r.Display!)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] excluded = ["xunit", "Microsoft.TestPlatform", "Microsoft.VisualStudio", "testhost", "Microsoft.CodeAnalysis", "Dln.Docs.Tests", "FsCheck", "Newtonsoft"];
        var references = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!framework.Contains(name) && !excluded.Any(e => name.StartsWith(e, StringComparison.OrdinalIgnoreCase)) && IsManaged(path))
            {
                references[name] = MetadataReference.CreateFromFile(path);
            }
        }

        return references;
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
