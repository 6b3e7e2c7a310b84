/**
 * Makes depthwise and separable convs trainable: the two backprop kernels the wasm backend
 * lacks, and a DepthwiseConv2dNative gradient that also takes dilation rates above 1.
 *
 * The gradient is registered for every backend. Undilated convs still go through the
 * backprop kernels (native on cpu and tfjs-node, ours on wasm); dilated ones use the op
 * versions in depthwiseBackprop.ts, since the cpu kernels silently ignore the rate.
 */
import * as tf from '@tensorflow/tfjs';
import { depthwiseFilterGrad, depthwiseInputGrad } from './depthwiseBackprop';
import { registerWasmOpKernel } from './opKernel';

type Shape4D = [number, number, number, number];

/** The attributes the depthwise conv and both of its backprop kernels share. */
interface DepthwiseAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: string;
}

function depthwiseInfo(xShape: Shape4D, filterShape: Shape4D, attrs: DepthwiseAttrs) {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(`depthwise conv gradient: NHWC only, got ${attrs.dataFormat}`);
  }
  const { strides, pad, dilations = 1, dimRoundingMode } = attrs;
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
}

let registered = false;

/** Idempotent; safe before or after the wasm backend starts. */
export function registerDepthwiseTraining(): void {
  if (registered) return;
  registered = true;

  registerWasmOpKernel('DepthwiseConv2dNativeBackpropInput', ({ dy, filter }, attrs) => {
    const a = attrs as unknown as DepthwiseAttrs & { inputShape: Shape4D };
    const info = depthwiseInfo(a.inputShape, filter!.shape as Shape4D, a);
    return depthwiseInputGrad(dy as tf.Tensor4D, filter as tf.Tensor4D, info);
  });
  registerWasmOpKernel('DepthwiseConv2dNativeBackpropFilter', ({ x, dy }, attrs) => {
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: Shape4D };
    const info = depthwiseInfo(x!.shape as Shape4D, a.filterShape, a);
    return depthwiseFilterGrad(x as tf.Tensor4D, dy as tf.Tensor4D, info);
  });

  tf.registerGradient({
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const grad = dy as tf.Tensor4D;
      const a = attrs as unknown as DepthwiseAttrs;
      const info = depthwiseInfo(x.shape, filter.shape, a);
      if (info.dilationHeight > 1 || info.dilationWidth > 1) {
        return {
          x: () => depthwiseInputGrad(grad, filter, info),
          filter: () => depthwiseFilterGrad(x, grad, info),
        };
      }
      const { strides, pad, dimRoundingMode } = a;
      const run = (name: string, inputs: tf.NamedTensorMap, extra: tf.NamedAttrMap) => {
        const all = { strides, pad, dilations: 1, dimRoundingMode, ...extra } as tf.NamedAttrMap;
        return tf.engine().runKernel(name, inputs, all) as tf.Tensor;
      };
      const inputGrad = 'DepthwiseConv2dNativeBackpropInput';
      const filterGrad = 'DepthwiseConv2dNativeBackpropFilter';
      return {
        x: () => run(inputGrad, { dy: grad, filter }, { inputShape: x.shape }),
        filter: () => run(filterGrad, { x, dy: grad }, { filterShape: filter.shape }),
      };
    },
  });
}
