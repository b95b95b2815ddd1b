'use server';
import { changeOwnPassword, changePasswordInput } from '@/lib/auth/change-password';
import { staffAction } from '@/lib/http/action';

export const changePasswordAction = staffAction(changePasswordInput, (p, input) => changeOwnPassword(p, input));
