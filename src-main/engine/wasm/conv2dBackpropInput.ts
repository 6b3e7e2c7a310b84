/**
 * A faster `Conv2DBackpropInput` for the wasm backend. tfjs 4.22's is a plain loop; it
 * carries every transposed conv (U-Net's up-sampling) and every conv's input gradient.
 * Two cases go to fast kernels, the rest to the original:
 *
 * - stride 1: dx is a forward conv of dy, padded so each input pixel is reached, with the
 *   filter flipped and its channels swapped (XNNPACK's conv);
 * - kernel = stride, no padding (2×2 up-convs): the output tiles do not overlap, so dx is
 *   one matmul dy·Wᵀ followed by DepthToSpace.
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;
type KernelFunc = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}) => Info;

function kernel(name: string): KernelFunc {
  const found = tf.getKernel(name, 'wasm');
  if (!found) throw new Error(`the wasm backend has no ${name} kernel to build on`);
  return found.kernelFunc as KernelFunc;
}

let registered = false;

export function registerFastConv2DBackpropInput(): void {
  if (registered) return;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original) throw new Error('the wasm backend has no Conv2DBackpropInput');
  registered = true;
  const slow = original.kernelFunc as KernelFunc;
  const [transpose, reverse, conv2d, matMul, depthToSpace] = [
    kernel('Transpose'),
    kernel('Reverse'),
    kernel('Conv2D'),
    kernel('BatchMatMul'),
    kernel('DepthToSpace'),
  ];
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const backend = args.backend as tf.KernelBackend;
      const { dy, filter } = args.inputs as { dy: Info; filter: Info };
      const attrs = args.attrs as unknown as {
        strides: number | [number, number];
        pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        inputShape: [number, number, number, number];
        dataFormat?: string;
      };
      if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return slow(args as never);
      const info = tf.backend_util.computeConv2DInfo(
        attrs.inputShape,
        filter.shape as [number, number, number, number],
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
      const [n, h, w, c] = attrs.inputShape;
      const temps: Info[] = [];
      const done = (out: Info) => {
        for (const t of temps) backend.disposeData(t.dataId);
        return out;
      };

      if (sh === 1 && sw === 1) {
        // Flip the filter in space and swap in/out channels: [kh, kw, outC(dy), inC(x)].
        const flipped = reverse({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } });
        temps.push(flipped);
        const swapped = transpose({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } });
        temps.push(swapped);
        const front = [kh - 1 - padInfo.top, kw - 1 - padInfo.left];
        const back = [h + kh - 1 - info.outHeight - front[0]!, w + kw - 1 - info.outWidth - front[1]!];
        if ([...front, ...back].some((p) => p < 0)) return done(slow(args as never));
        const pad = [[0, 0], [front[0]!, back[0]!], [front[1]!, back[1]!], [0, 0]];
        return done(
          conv2d({ inputs: { x: dy, filter: swapped }, backend, attrs: { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' } }),
        );
      }

      const noPad = padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom === 0 && padInfo.right === 0;
      if (kh === sh && kw === sw && sh === sw && noPad && info.outHeight * sh === h && info.outWidth * sw === w) {
        const [, ho, wo, o] = dy.shape as [number, number, number, number];
        // filter [kh, kw, c, o] viewed as [1, kh·kw·c, o]; dy as [1, n·ho·wo, o].
        const cols = matMul({
          inputs: {
            a: { dataId: dy.dataId, shape: [1, n * ho * wo, o], dtype: dy.dtype },
            b: { dataId: filter.dataId, shape: [1, kh * kw * c, o], dtype: filter.dtype },
          },
          backend,
          attrs: { transposeA: false, transposeB: true },
        });
        temps.push(cols);
        const tiles = { dataId: cols.dataId, shape: [n, ho, wo, kh * kw * c], dtype: cols.dtype };
        return done(depthToSpace({ inputs: { x: tiles }, backend, attrs: { blockSize: sh, dataFormat: 'NHWC' } }));
      }
      return slow(args as never);
    },
  });
}
