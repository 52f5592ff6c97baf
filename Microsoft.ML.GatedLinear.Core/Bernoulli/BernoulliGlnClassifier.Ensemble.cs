using Microsoft.ML.GatedLinear.Gating;

namespace Microsoft.ML.GatedLinear.Bernoulli;

public sealed partial class BernoulliGlnClassifier
{
    /// <summary>The most classifiers <see cref="Average"/> takes.</summary>
    public const int MaxEnsembleSize = 64;

    /// <summary>
    /// One classifier whose every one-vs-all logit is the mean of <paramref name="models"/>' logits: a geometric
    /// mixture with equal weights, so <see cref="Explain"/> stays exact (the mean of the members' decompositions).
    /// Trained apart (other hyperplanes, other row orders, each stopped at its own best epoch), such members err on
    /// different rows of a small data set, and their mean on fewer. The result is a copy: it keeps each member's
    /// hyperplanes and weights, the first member's options and standardization, and learns on (all members at once,
    /// the largest member's <see cref="UpdateCount"/> as its step count) if trained further.
    /// </summary>
    /// <param name="models">1 to <see cref="MaxEnsembleSize"/> classifiers made by <see cref="Create(int, int, BernoulliGlnOptions)"/> (not averages) with
    /// the same features, classes, standardization and network shape; their seeds may differ.</param>
    /// <exception cref="ArgumentException">The models differ in any of those, or one is itself an average.</exception>
    public static BernoulliGlnClassifier Average(IReadOnlyList<BernoulliGlnClassifier> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count is < 1 or > MaxEnsembleSize)
        {
            throw new ArgumentException($"Average takes 1 to {MaxEnsembleSize} classifiers; got {models.Count}.", nameof(models));
        }

        BernoulliGlnClassifier first = models[0];
        foreach (BernoulliGlnClassifier model in models)
        {
            RequireSameShape(first, model, nameof(models));
        }

        // Copies, so that the average shares no state with the models it was made from.
        BernoulliGlnClassifier[] copies = models.Select(model => model.Copy()).ToArray();
        int members = copies.Length, classNetworks = ClassNetworkCount(first.ClassCount), neurons = first._networks[0].NeuronCount;
        var networks = new BernoulliNetwork[classNetworks * members];
        for (int c = 0; c < classNetworks; c++)
        {
            for (int j = 0; j < members; j++)
            {
                networks[c * members + j] = copies[j]._networks[c];
            }
        }

        // Network n = c·m + j reads the contexts at NetworkContextOffset(n): member j's block when classes share
        // hyperplanes, otherwise its class c block, so the hyperplanes are laid out in the same order.
        int blocks = first._options.ShareHyperplanesAcrossClasses ? members : networks.Length;
        HalfSpaceGating gating = HalfSpaceGating.Concatenate(Enumerable.Range(0, blocks).Select(n =>
        {
            int memberBlock = first._options.ShareHyperplanesAcrossClasses ? 0 : n / members;
            return (copies[n % members]._gating, memberBlock * neurons, neurons);
        }).ToList());
        return new BernoulliGlnClassifier(copies[0]._options, first.FeatureCount, first.ClassCount, copies[0]._standardizer, first._discriminant, gating, networks, members, models.Max(m => m.UpdateCount));
    }

    /// <summary>
    /// A copy of this classifier (a gated network) whose weights make it predict exactly what <paramref name="linear"/>,
    /// its trained linear special case (<see cref="BernoulliGlnOptions.AsLinearModel"/>), predicts: every first-layer
    /// neuron takes the linear model's row in every context, and every neuron above passes on its first input (weight
    /// 1, the rest 0). So a network and a linear model kept by different members can be averaged in one shape.
    /// </summary>
    internal BernoulliGlnClassifier WithWeightsOf(BernoulliGlnClassifier linear)
    {
        if (linear._members != 1 || linear._networks[0].Layers.Count != 1 || linear._gating.ContextDimension != 0 || _members != 1)
        {
            throw new ArgumentException("Only an ungated one-neuron classifier can be carried into a network, and only into a single one.", nameof(linear));
        }

        if (linear.FeatureCount != FeatureCount || linear.ClassCount != ClassCount || !linear._standardizer.SameAs(_standardizer) || !SameDiscriminant(linear._discriminant, _discriminant))
        {
            throw new ArgumentException("The linear model must read the same features, classes, standardization and linear discriminant as the network.", nameof(linear));
        }

        if (_options.WeightBound < 1)
        {
            throw new InvalidOperationException($"A network whose weights are bounded by {_options.WeightBound} (< 1) cannot pass a neuron's logit on unchanged.");
        }

        BernoulliGlnClassifier copy = Copy();
        copy.UpdateCount = linear.UpdateCount;
        for (int c = 0; c < copy._networks.Length; c++)
        {
            ReadOnlySpan<float> row = linear._networks[c].Layers[0].ActiveRow(0, 0);
            IReadOnlyList<BernoulliLayer> layers = copy._networks[c].Layers;
            for (int i = 0; i < layers.Count; i++)
            {
                BernoulliLayer layer = layers[i];
                for (int k = 0; k < layer.NeuronCount; k++)
                {
                    for (int context = 0; context < layer.ContextCount; context++)
                    {
                        Span<float> weights = layer.ActiveRow(k, context);
                        if (i == 0)
                        {
                            row.CopyTo(weights);
                        }
                        else
                        {
                            weights.Clear();
                            weights[0] = 1;
                        }
                    }
                }
            }
        }

        return copy;
    }

    private static void RequireSameShape(BernoulliGlnClassifier first, BernoulliGlnClassifier model, string parameter)
    {
        ArgumentNullException.ThrowIfNull(model, parameter);
        if (model._members != 1)
        {
            throw new ArgumentException("Average takes single classifiers; this one already averages several.", parameter);
        }

        BernoulliGlnOptions a = first._options, b = model._options;
        bool sameShape = model.FeatureCount == first.FeatureCount && model.ClassCount == first.ClassCount
            && a.LayerSizes.AsSpan().SequenceEqual(b.LayerSizes) && a.ContextDimension == b.ContextDimension
            && a.ShareHyperplanesAcrossClasses == b.ShareHyperplanesAcrossClasses && a.BaseModel == b.BaseModel
            && a.InputClipping == b.InputClipping && a.PredictionClipping == b.PredictionClipping
            && a.BiasProbability == b.BiasProbability && a.WeightBound == b.WeightBound;
        if (!sameShape || !model._standardizer.SameAs(first._standardizer) || !SameDiscriminant(model._discriminant, first._discriminant))
        {
            throw new ArgumentException("Average takes classifiers of the same features, classes, network shape, clipping, standardization and linear discriminant.", parameter);
        }
    }

    private static bool SameDiscriminant(LinearDiscriminantBase? a, LinearDiscriminantBase? b) => a is null ? b is null : a.SameAs(b);
}
