export * from './errors';
export * from './profile';
export * from './avatar-path';
export * from './api';
