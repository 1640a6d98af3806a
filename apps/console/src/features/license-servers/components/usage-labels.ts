import type { TLicenseModel } from '@reg/contracts/usage-api';

const MODEL_LABELS: Record<TLicenseModel, string> = {
  'user-device': 'user/device',
  concurrent: 'concurrent',
};

/** "XDT PLT (user/device)": how a product key is named everywhere in the console. */
export const seriesLabel = (key: { productCode: string; edition: string; licenseModel: TLicenseModel }) =>
  `${key.productCode} ${key.edition} (${MODEL_LABELS[key.licenseModel]})`;
