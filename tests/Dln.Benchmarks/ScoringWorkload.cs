namespace DeepLanguageNetworks.Benchmarks;

/// <summary>
/// The scoring phase of one DLN-1 iteration: every candidate prompt is scored on every example of a batch by the
/// log-probability of each class verbalizer after the output template (prompt, blank line, input, blank line, answer cue).
/// The prompts stand in for a backward model's proposals: variations on one instruction, of different lengths.
/// </summary>
internal static class ScoringWorkload
{
    public static readonly string[] Verbalizers = [" yes", " no"];

    private static readonly string[] Prompts =
    [
        "Read the sentence and decide if the child in it is happy. Answer yes or no.",
        "Is the child in the story happy? Answer yes or no.",
        "Decide whether the little one in the sentence feels happy. Reply with yes if the child is happy and no if the child is sad, scared or angry.",
        "You will read one sentence from a story for children. Tell if the child in it is happy. Say yes or no.",
        "Look at how the child feels in this sentence. If the child smiles, laughs, plays or feels good, answer yes. If the child cries, is sad or is afraid, answer no.",
        "Happy child? yes or no.",
        "A sentence from a short story follows. Your task is to find out if the main child is happy at this moment in the story. Think about what the child does and says, then answer with one word: yes or no.",
        "Answer yes when the child in the sentence is glad and no when the child is not glad.",
        "Tell me if this child is happy. Only write yes or no.",
        "Read carefully. The question is always the same: is the child in the sentence happy? Words like smiled, laughed, played and hugged mean yes. Words like cried, lost, fell and scared mean no. Answer yes or no.",
        "Classify the feeling of the child in the sentence as happy (yes) or not happy (no).",
        "Does the boy or girl in this sentence feel happy? Give the answer yes or no.",
        "Here is a line from a bedtime story. Decide if the child in the line is in a happy mood. Write yes for a happy mood and no for any other mood.",
        "Is this a happy moment for the child? yes or no.",
        "Think about the child in the sentence. Is the child having a good time? If so answer yes, otherwise answer no.",
        "Your job is to read a sentence about a child and say whether the child is happy. Sad, angry, tired or scared children are not happy. Answer yes or no.",
        "Decide: happy child or not. Answer yes or no.",
        "Mom reads a story to Tim. After each sentence Tim asks: is the child happy now? Help Tim. Answer yes or no.",
        "Say yes if the sentence shows a happy child and no if it shows an unhappy child.",
        "Below is a sentence. Find the child. Find how the child feels. If the child feels happy, the answer is yes. If not, the answer is no.",
    ];

    private static readonly string[] Inputs =
    [
        "Lily smiled and ran to hug her big dog.",
        "Tom cried because his red ball was lost.",
        "The little girl laughed as she played in the warm sun.",
        "Ben was scared of the loud noise in the dark.",
        "Sue got a new toy and jumped up and down.",
        "The boy fell off his bike and hurt his knee.",
        "Anna played with her friends in the park all day.",
        "Max was sad when his mom said no to the cake.",
        "Mia danced with her cat and sang a happy song.",
        "Tim was angry that his tower of blocks fell down.",
        "The kids shared the cookies and had a lot of fun.",
        "Lucy sat alone and looked at the rain.",
        "Sam found a shiny rock and showed it to his dad with a big smile.",
        "The little bird was hungry and cold, and the girl was worried.",
        "Jack and Jill built a big sand castle at the beach.",
        "Emma could not find her mom and began to cry.",
        "Leo hugged his grandma and said thank you for the gift.",
        "Zoe broke her favorite cup and felt very bad.",
        "The boy laughed when the puppy licked his face.",
        "Kim was tired and did not want to play.",
    ];

    /// <summary>Builds the context of one (prompt, example) pair with the DLN-1 output template.</summary>
    public static string Context(string prompt, string input) => $"{prompt}\n\n{input}\n\nAnswer:";

    /// <summary>The scoring requests of <paramref name="promptCount"/> prompts × <paramref name="exampleCount"/> examples × the verbalizers.</summary>
    public static List<ContinuationRequest> Build(int promptCount, int exampleCount)
    {
        var requests = new List<ContinuationRequest>();
        for (var p = 0; p < promptCount; p++)
        {
            for (var e = 0; e < exampleCount; e++)
            {
                var context = Context(Prompts[p % Prompts.Length], Inputs[e % Inputs.Length]);
                foreach (var verbalizer in Verbalizers)
                {
                    requests.Add(new ContinuationRequest(context, verbalizer) { Purpose = new CallPurpose(CallRole.Scoring, 0) });
                }
            }
        }

        return requests;
    }
}
