/**
 * Carriers a looked-up number is said to belong to, per country. Mobile networks carry their real
 * MCC/MNC (ITU-T E.212 assignments, as published in the public MCC/MNC lists); which network a
 * number is on is a stable pick per number, not a portability database. Landline and VoIP carriers
 * have no MCC/MNC (Lookup leaves them null for non-mobile types).
 */
import { stablePick } from '../stable-hash';
import type { LineType } from './describe';

/** A carrier as Lookup names it. */
export interface Carrier {
  name: string;
  mcc: string | null;
  mnc: string | null;
}

type Networks = { mobile: readonly Carrier[]; landline: readonly string[]; voip: readonly string[] };

const m = (name: string, mcc: string, mnc: string): Carrier => ({ name, mcc, mnc });

const CARRIERS: Record<string, Networks> = {
  US: {
    mobile: [m('T-Mobile USA, Inc.', '310', '260'), m('Verizon Wireless', '311', '480'), m('AT&T Wireless', '310', '410'), m('US Cellular', '311', '580')],
    landline: ['Verizon', 'AT&T', 'Lumen', 'Frontier Communications'],
    voip: ['Bandwidth.com', 'Twilio', 'Google Voice'],
  },
  CA: {
    mobile: [m('Rogers Wireless', '302', '720'), m('Bell Mobility', '302', '610'), m('Telus Mobility', '302', '220')],
    landline: ['Bell Canada', 'Telus', 'Rogers'],
    voip: ['Iristel', 'Fonix'],
  },
  GB: {
    mobile: [m('O2', '234', '10'), m('Vodafone UK', '234', '15'), m('EE', '234', '30'), m('Three UK', '234', '20')],
    landline: ['BT', 'Virgin Media', 'TalkTalk'],
    voip: ['Gamma', 'Magrathea'],
  },
  DE: {
    mobile: [m('Telekom Deutschland', '262', '01'), m('Vodafone GmbH', '262', '02'), m('Telefónica Germany', '262', '03')],
    landline: ['Deutsche Telekom', 'Vodafone', '1&1'],
    voip: ['sipgate'],
  },
  FR: {
    mobile: [m('Orange France', '208', '01'), m('SFR', '208', '10'), m('Free Mobile', '208', '15'), m('Bouygues Telecom', '208', '20')],
    landline: ['Orange', 'SFR', 'Free'],
    voip: ['OVH Telecom'],
  },
  IN: {
    mobile: [m('Airtel', '404', '10'), m('Vodafone Idea', '404', '20'), m('Reliance Jio', '405', '857')],
    landline: ['BSNL', 'MTNL', 'Airtel'],
    voip: ['Tata Communications'],
  },
  BR: {
    mobile: [m('TIM', '724', '02'), m('Claro', '724', '05'), m('Vivo', '724', '06')],
    landline: ['Vivo', 'Claro', 'Oi'],
    voip: ['Algar Telecom'],
  },
  JP: {
    mobile: [m('NTT DOCOMO', '440', '10'), m('SoftBank', '440', '20'), m('KDDI', '440', '50')],
    landline: ['NTT East', 'NTT West', 'KDDI'],
    voip: ['Fusion Communications'],
  },
  AU: {
    mobile: [m('Telstra', '505', '01'), m('Optus', '505', '02'), m('Vodafone Australia', '505', '03')],
    landline: ['Telstra', 'Optus', 'TPG'],
    voip: ['Aussie Broadband'],
  },
};

/**
 * The carrier of a number of `country` with line `type`, stable per number; null where mirra has no
 * carriers for the country or the type has none (toll-free, premium, …).
 */
export function carrierFor(country: string, type: LineType, e164: string): Carrier | null {
  const networks = CARRIERS[country];
  if (!networks) return null;
  if (type === 'mobile') return stablePick(networks.mobile, `carrier|${e164}`);
  if (type === 'landline') return { name: stablePick(networks.landline, `carrier|${e164}`), mcc: null, mnc: null };
  if (type === 'fixedVoip' || type === 'nonFixedVoip') return { name: stablePick(networks.voip, `carrier|${e164}`), mcc: null, mnc: null };
  return null;
}
