package dev.shammah.local;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The student: a small decoder-only (causal) transformer over bytes, defined with DJL blocks and run on the
 * PyTorch engine. Bytes keep it vocabulary-free (any language, any code) and small enough to train on a CPU in
 * the background: token and position embeddings, {@code layers} pre-norm blocks of multi-head causal
 * self-attention and a GELU feed-forward, a final norm and a projection back to the 256 byte values.
 */
public final class StudentNet extends AbstractBlock {
    public static final int VOCAB = 256;

    private final int dim;
    private final int heads;
    private final int maxLen;
    private final int layers;
    private final Parameter tokens;
    private final Parameter positions;
    private final Block[][] blocks;
    private final Block finalNorm;
    private final Block head;

    public StudentNet(int dim, int heads, int layers, int maxLen) {
        super((byte) 1);
        this.dim = dim;
        this.heads = heads;
        this.maxLen = maxLen;
        this.layers = layers;
        this.tokens = addParameter(Parameter.builder().setName("tokens").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(VOCAB, dim)).optInitializer(new NormalInitializer(0.02f)).build());
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxLen, dim)).optInitializer(new NormalInitializer(0.02f)).build());
        this.blocks = new Block[layers][];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Block[] {
                addChildBlock("ln1_" + l, LayerNorm.builder().axis(2).build()),
                addChildBlock("qkv_" + l, Linear.builder().setUnits(3L * dim).build()),
                addChildBlock("proj_" + l, Linear.builder().setUnits(dim).build()),
                addChildBlock("ln2_" + l, LayerNorm.builder().axis(2).build()),
                addChildBlock("ff1_" + l, Linear.builder().setUnits(4L * dim).build()),
                addChildBlock("ff2_" + l, Linear.builder().setUnits(dim).build())
            };
        }
        this.finalNorm = addChildBlock("ln_f", LayerNorm.builder().axis(2).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(VOCAB).build());
    }

    public int maxLen() {
        return maxLen;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        long batch = ids.getShape().get(0);
        long len = ids.getShape().get(1);
        NDManager m = ids.getManager();
        NDArray tok = ps.getValue(tokens, ids.getDevice(), training);
        NDArray pos = ps.getValue(positions, ids.getDevice(), training);
        NDArray x = Embedding.embedding(ids, tok, SparseFormat.DENSE).singletonOrThrow()
                .add(pos.get("0:" + len));
        NDArray mask = causalMask(m, (int) len);
        long dh = dim / heads;
        for (Block[] b : blocks) {
            NDArray h = f(b[0], ps, x, training);
            NDArray qkv = f(b[1], ps, h, training);
            NDList parts = qkv.split(3, 2);
            NDArray q = parts.get(0).reshape(batch, len, heads, dh).transpose(0, 2, 1, 3);
            NDArray k = parts.get(1).reshape(batch, len, heads, dh).transpose(0, 2, 3, 1);
            NDArray v = parts.get(2).reshape(batch, len, heads, dh).transpose(0, 2, 1, 3);
            NDArray att = q.matMul(k).mul(1.0 / Math.sqrt(dh)).add(mask).softmax(-1);
            NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(batch, len, dim);
            x = x.add(f(b[2], ps, y, training));
            NDArray ff = Activation.gelu(f(b[4], ps, f(b[3], ps, x, training), training));
            x = x.add(f(b[5], ps, ff, training));
        }
        return new NDList(f(head, ps, f(finalNorm, ps, x, training), training));
    }

    private static NDArray f(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** 0 where a position may attend (itself and earlier), a large negative number after it. */
    private static NDArray causalMask(NDManager m, int len) {
        float[] mask = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                mask[i * len + j] = -1e9f;
            }
        }
        return m.create(mask, new Shape(len, len));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), VOCAB)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hidden = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), dim);
        Shape wide = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), 4L * dim);
        for (Block[] b : blocks) {
            b[0].initialize(manager, dataType, hidden);
            b[1].initialize(manager, dataType, hidden);
            b[2].initialize(manager, dataType, hidden);
            b[3].initialize(manager, dataType, hidden);
            b[4].initialize(manager, dataType, hidden);
            b[5].initialize(manager, dataType, wide);
        }
        finalNorm.initialize(manager, dataType, hidden);
        head.initialize(manager, dataType, hidden);
    }

    @Override
    public String toString() {
        return "StudentNet[dim=" + dim + ", heads=" + heads + ", layers=" + layers + ", maxLen=" + maxLen + "]";
    }
}
