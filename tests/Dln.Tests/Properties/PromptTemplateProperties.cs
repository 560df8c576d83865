using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeepLanguageNetworks.Tests.Properties;

/// <summary>Rendering inserts any value literally (braces, placeholders, markup, unicode), then trims, as documented.</summary>
public class PromptTemplateProperties
{
    public const int Cases = 500;

    private static readonly string[] Names = ["prompt", "input"];

    [Property(MaxTest = Cases)]
    public Property Values_are_inserted_literally_between_the_template_text() =>
        Prop.ForAll(Generators.AnyText.ToArbitrary(), Generators.AnyText.ToArbitrary(), (prompt, input) =>
        {
            var template = new PromptTemplate("{prompt}|{input}", Names);

            Assert.Equal((prompt + "|" + input).Trim(), template.Render(("prompt", prompt), ("input", input)));
        });

    [Property(MaxTest = Cases)]
    public Property Any_template_renders_its_literal_text_and_the_values_in_order() =>
        Prop.ForAll(TemplateGen.ToArbitrary(), Generators.AnyText.ToArbitrary(), Generators.AnyText.ToArbitrary(), (parts, prompt, input) =>
        {
            // A literal part is written with its braces doubled; a placeholder part is "{name}".
            var text = string.Concat(parts.Select(p => p.IsPlaceholder ? "{" + p.Text + "}" : p.Text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)));
            var template = new PromptTemplate(text, Names);
            var values = new Dictionary<string, string> { ["prompt"] = prompt, ["input"] = input };

            var expected = string.Concat(parts.Select(p => p.IsPlaceholder ? values[p.Text] : p.Text)).Trim();
            Assert.Equal(expected, template.Render(values));
        });

    /// <summary>Literal texts and placeholders in any order, each placeholder at least once.</summary>
    private static Gen<Part[]> TemplateGen { get; } =
        Gen.Frequency(
                (2, Generators.AnyText.Select(t => new Part(t, false))),
                (1, Gen.Elements(Names).Select(n => new Part(n, true))))
            .ListOf()
            .SelectMany(parts => Gen.Shuffle(parts.Concat(Names.Select(n => new Part(n, true)))))
            .Select(parts => parts.ToArray());

    public sealed record Part(string Text, bool IsPlaceholder);
}
